-- removeJobScheduler: deletes a job scheduler; its pending iteration goes too if it is delayed (one already
-- waiting still runs but produces no successor), as in BullMQ.
-- KEYS: 1 repeat, 2 delayed, 3 events
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 scheduler id
-- Returns 1 when the scheduler existed, 0 when it did not.
--@include events
--@include placement
--@include jobs
--@include schedulers

local keyPrefix, schedulerId = ARGV[1], ARGV[2]
local score = redis.call("ZSCORE", KEYS[1], schedulerId)
if score then
  local jobId = iterationId(schedulerId, tonumber(score))
  if redis.call("ZREM", KEYS[2], jobId) == 1 then
    deleteJobKeys(keyPrefix .. jobId)
    emit(KEYS[3], "removed", "jobId", jobId, "prev", "delayed")
  end
end
redis.call("DEL", KEYS[1] .. ":" .. schedulerId)
return redis.call("ZREM", KEYS[1], schedulerId)
