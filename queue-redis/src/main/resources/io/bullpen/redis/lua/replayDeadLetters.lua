--[[
  Moves dead letters of one source queue back into it (Queue.replayDeadLetters). Each copy in the dead-letter
  queue's `failed` set whose dlsrc is the source queue is replayed, oldest first: the original job, if it is
  still in the source's failed set, goes back to wait with fresh attempt counters; if it was removed, it is
  created again under its id from the copy. A source job found in any other state is left alone and its copy
  kept. Replayed copies are deleted.

  KEYS[1] dead-letter queue failed set  KEYS[2] source wait  KEYS[3] source meta  KEYS[4] source active
  KEYS[5] source marker  KEYS[6] source events  KEYS[7] source failed  KEYS[8] source prioritized
  KEYS[9] source pc
  ARGV[1] dead-letter queue key prefix "<prefix>:<dlq>:"  ARGV[2] source key prefix "<prefix>:<queue>:"
  ARGV[3] most copies to replay  ARGV[4] timestamp ms

  Returns {replayed, scanned}: scanned < the dead-letter queue's size means more copies may remain.
]]
--@include events
--@include placement

local dlqPrefix, srcPrefix = ARGV[1], ARGV[2]
local limit, now = tonumber(ARGV[3]), tonumber(ARGV[4])
local source = string.sub(srcPrefix, 1, -2)
local maxLen = eventsMaxLen(KEYS[3])
local replayed, scanned = 0, 0
local anyReady = false

local copies = redis.call("ZRANGE", KEYS[1], 0, -1)
for _, copyId in ipairs(copies) do
  if replayed >= limit then
    break
  end
  scanned = scanned + 1
  local copyKey = dlqPrefix .. copyId
  local info = redis.call("HMGET", copyKey, "dlsrc", "dlid", "name", "data", "opts", "timestamp", "priority")
  if info[1] == source and info[2] then
    local jobId = info[2]
    local jobKey = srcPrefix .. jobId
    local exists = redis.call("EXISTS", jobKey) == 1
    local inFailed = exists and redis.call("ZREM", KEYS[7], jobId) == 1
    if inFailed or not exists then
      if inFailed then
        redis.call("HDEL", jobKey, "finishedOn", "processedOn", "failedReason", "defa", "bpcancel", "bpcancelretry")
        redis.call("HSET", jobKey, "atm", 0, "ats", 0)
      else
        redis.call("HSET", jobKey, "name", info[3] or "", "data", info[4] or "{}", "opts", info[5] or "{}",
          "timestamp", info[6] or now, "delay", 0, "priority", info[7] or 0)
        emit(KEYS[6], "added", "jobId", jobId, "name", info[3] or "")
      end
      local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
      if priority > 0 then
        addToPrioritized(KEYS[8], KEYS[9], jobId, priority)
      else
        pushToWait(KEYS[2], jobId, false)
      end
      emitCapped(KEYS[6], maxLen, "waiting", "jobId", jobId, "prev", inFailed and "failed" or "dead-letter")
      anyReady = true
      redis.call("ZREM", KEYS[1], copyId)
      redis.call("DEL", copyKey, copyKey .. ":logs")
      replayed = replayed + 1
    end
  end
end
if anyReady and not isPausedOrMaxed(KEYS[3], KEYS[4]) then
  addReadyMarker(KEYS[5])
end
return {replayed, scanned}
