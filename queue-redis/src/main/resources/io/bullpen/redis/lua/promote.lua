--[[
  Moves one delayed job to wait (priority 0, behind the jobs already waiting) or prioritized, now.

  KEYS[1] delayed  KEYS[2] wait  KEYS[3] meta  KEYS[4] prioritized  KEYS[5] active  KEYS[6] pc
  KEYS[7] events   KEYS[8] marker  KEYS[9] job key
  ARGV[1] job id

  Returns 0, -1 when the job does not exist, -3 when it is not delayed.
]]
--@include events
--@include placement

local jobId = ARGV[1]
local jobKey = KEYS[9]
if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
if redis.call("ZREM", KEYS[1], jobId) == 0 then
  return -3
end
local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
if priority > 0 then
  addToPrioritized(KEYS[4], KEYS[6], jobId, priority)
else
  pushToWait(KEYS[2], jobId, false)
end
if not isPausedOrMaxed(KEYS[3], KEYS[5]) then
  addReadyMarker(KEYS[8])
end
redis.call("HSET", jobKey, "delay", 0)
emitCapped(KEYS[7], eventsMaxLen(KEYS[3]), "waiting", "jobId", jobId, "prev", "delayed")
return 0
