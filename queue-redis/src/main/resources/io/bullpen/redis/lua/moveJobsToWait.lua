--[[
  Moves a batch of completed, failed or delayed jobs to wait (Queue.retryJobs / Queue.promoteJobs).
  Priorities are ignored, as BullMQ does: every job goes to the back of wait.

  KEYS[1] the source zset (completed, failed or delayed)
  KEYS[2] wait  KEYS[3] meta  KEYS[4] active  KEYS[5] marker  KEYS[6] events
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] batch size (> 0)
  ARGV[3] highest score taken ("+inf" for every job)
  ARGV[4] source state name: completed, failed or delayed

  Returns {moved in this batch, 1 if more jobs within the score bound remain else 0}.
]]
--@include events
--@include placement

local keyPrefix = ARGV[1]
local state = ARGV[4]
local maxLen = eventsMaxLen(KEYS[3])
local ids = redis.call("ZRANGEBYSCORE", KEYS[1], "-inf", ARGV[3], "LIMIT", 0, tonumber(ARGV[2]))

for _, jobId in ipairs(ids) do
  local jobKey = keyPrefix .. jobId
  redis.call("ZREM", KEYS[1], jobId)
  if state == "delayed" then
    redis.call("HSET", jobKey, "delay", 0)
  else
    local resultField = "returnvalue"
    if state == "failed" then
      resultField = "failedReason"
    end
    redis.call("HDEL", jobKey, "finishedOn", "processedOn", resultField)
  end
  redis.call("LPUSH", KEYS[2], jobId)
  emitCapped(KEYS[6], maxLen, "waiting", "jobId", jobId, "prev", state)
end

if #ids > 0 and not isPausedOrMaxed(KEYS[3], KEYS[4]) then
  addReadyMarker(KEYS[5])
end
local more = 0
if redis.call("ZCOUNT", KEYS[1], "-inf", ARGV[3]) > 0 then
  more = 1
end
return {#ids, more}
