--[[
  Gives a delayed job a new delay counted from now.

  KEYS[1] delayed  KEYS[2] meta  KEYS[3] marker  KEYS[4] events  KEYS[5] job key
  ARGV[1] job id
  ARGV[2] delay ms (>= 0)
  ARGV[3] now, ms

  Returns 0, -1 when the job does not exist, -3 when it is not delayed.
]]
--@include events
--@include placement

local jobId = ARGV[1]
if redis.call("EXISTS", KEYS[5]) == 0 then
  return -1
end
if redis.call("ZREM", KEYS[1], jobId) == 0 then
  return -3
end
local due = tonumber(ARGV[3]) + tonumber(ARGV[2])
addToDelayed(KEYS[1], jobId, due)
redis.call("HSET", KEYS[5], "delay", ARGV[2])
emitCapped(KEYS[4], eventsMaxLen(KEYS[2]), "delayed", "jobId", jobId, "delay", string.format("%.0f", due))
updateDelayMarker(KEYS[3], KEYS[1])
return 0
