--[[
  Stores a job's progress and emits `progress` (jobId, data).

  KEYS[1] job key  KEYS[2] events  KEYS[3] meta
  ARGV[1] job id
  ARGV[2] progress JSON

  Returns 0, or -1 when the job does not exist.
]]
--@include events

if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
redis.call("HSET", KEYS[1], "progress", ARGV[2])
emitCapped(KEYS[2], eventsMaxLen(KEYS[3]), "progress", "jobId", ARGV[1], "data", ARGV[2])
return 0
