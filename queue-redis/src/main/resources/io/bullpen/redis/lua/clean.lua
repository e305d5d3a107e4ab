--[[
  Deletes up to `limit` jobs of one state that are older than a cutoff (Queue.clean). completed/failed go by
  their set score (finishedOn); wait and active by the first of finishedOn, processedOn, timestamp (active
  only without a lock); delayed by processedOn or timestamp; prioritized by timestamp. A job scheduler's
  pending iteration is never deleted. Emits one `cleaned` event (count); no per-job events.

  KEYS[1] the state's key (list or zset)   KEYS[2] events
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] cutoff ms: jobs at or before it are deleted
  ARGV[3] limit (> 0) for this call
  ARGV[4] state: completed, failed, wait, paused, active, delayed or prioritized

  Returns the deleted job ids.
]]
--@include events
--@include placement
--@include jobs

local stateKey = KEYS[1]
local keyPrefix = ARGV[1]
local cutoff = tonumber(ARGV[2])
local limit = tonumber(ARGV[3])
local state = ARGV[4]
local deleted = {}

-- The job's reference time: the first of `fields` present on its hash (nil when the hash is gone).
local function referenceTime(jobKey, fields)
  local values = redis.call("HMGET", jobKey, unpack(fields))
  for _, value in ipairs(values) do
    if value then
      return tonumber(value)
    end
  end
  return nil
end

local function eligible(jobId)
  if isCurrentSchedulerIteration(keyPrefix, jobId) then
    return false
  end
  local jobKey = keyPrefix .. jobId
  local fields
  if state == "wait" or state == "paused" or state == "active" then
    if state == "active" and redis.call("EXISTS", jobKey .. ":lock") == 1 then
      return false
    end
    fields = {"finishedOn", "processedOn", "timestamp"}
  elseif state == "delayed" then
    fields = {"processedOn", "timestamp"}
  else
    fields = {"timestamp"}
  end
  local ts = referenceTime(jobKey, fields)
  -- An id whose hash is gone is a dangling reference: cleaning it is always right.
  return ts == nil or ts <= cutoff
end

if state == "completed" or state == "failed" then
  local offset = 0
  while #deleted < limit do
    local ids = redis.call("ZRANGEBYSCORE", stateKey, "-inf", cutoff, "LIMIT", offset, limit - #deleted)
    if #ids == 0 then
      break
    end
    for _, jobId in ipairs(ids) do
      if isCurrentSchedulerIteration(keyPrefix, jobId) then
        offset = offset + 1
      else
        redis.call("ZREM", stateKey, jobId)
        deleteJobHard(keyPrefix, jobId)
        deleted[#deleted + 1] = jobId
      end
    end
  end
elseif state == "delayed" or state == "prioritized" then
  local start = 0
  while #deleted < limit do
    local ids = redis.call("ZRANGE", stateKey, start, start + 999)
    if #ids == 0 then
      break
    end
    local removedHere = 0
    for _, jobId in ipairs(ids) do
      if #deleted < limit and eligible(jobId) then
        deleteJobHard(keyPrefix, jobId)
        deleted[#deleted + 1] = jobId
        removedHere = removedHere + 1
      end
    end
    for i = #deleted - removedHere + 1, #deleted do
      redis.call("ZREM", stateKey, deleted[i])
    end
    start = start + #ids - removedHere
  end
else
  -- Lists: scan from the tail (oldest first); mark deleted slots, then drop the marks in one LREM so indexes
  -- stay valid while scanning.
  local mark = "__bullpen_cleaned__"
  local len = redis.call("LLEN", stateKey)
  local index = len - 1
  while index >= 0 and #deleted < limit do
    local from = math.max(0, index - 999)
    local ids = redis.call("LRANGE", stateKey, from, index)
    for i = #ids, 1, -1 do
      if #deleted >= limit then
        break
      end
      local jobId = ids[i]
      if eligible(jobId) then
        redis.call("LSET", stateKey, from + i - 1, mark)
        deleteJobHard(keyPrefix, jobId)
        deleted[#deleted + 1] = jobId
      end
    end
    index = from - 1
  end
  if #deleted > 0 then
    redis.call("LREM", stateKey, 0, mark)
  end
end

emit(KEYS[2], "cleaned", "count", #deleted)
return deleted
