--[[
  Changes a job's priority. A job that is waiting (wait, legacy paused list or prioritized) is re-placed:
  priority 0 goes to wait (front with lifo), > 0 gets a fresh counter score, or the front of its priority with
  lifo. Jobs in other states only get the field, used when they next become runnable. No event.

  KEYS[1] wait  KEYS[2] paused  KEYS[3] meta  KEYS[4] prioritized  KEYS[5] active  KEYS[6] pc
  KEYS[7] marker  KEYS[8] job key
  ARGV[1] job id
  ARGV[2] new priority (0..2^21-1)
  ARGV[3] lifo "1"/"0"

  Returns 0, or -1 when the job does not exist.
]]
--@include placement

local jobId = ARGV[1]
local priority = tonumber(ARGV[2])
local lifo = ARGV[3] == "1"
if redis.call("EXISTS", KEYS[8]) == 0 then
  return -1
end

local waiting = redis.call("ZREM", KEYS[4], jobId) == 1
  or redis.call("LREM", KEYS[1], 0, jobId) > 0
  or redis.call("LREM", KEYS[2], 0, jobId) > 0
if waiting then
  if priority == 0 then
    pushToWait(KEYS[1], jobId, lifo)
  elseif lifo then
    redis.call("ZADD", KEYS[4], priority * 4294967296, jobId)
  else
    addToPrioritized(KEYS[4], KEYS[6], jobId, priority)
  end
  if not isPausedOrMaxed(KEYS[3], KEYS[5]) then
    addReadyMarker(KEYS[7])
  end
end
redis.call("HSET", KEYS[8], "priority", ARGV[2])
return 0
