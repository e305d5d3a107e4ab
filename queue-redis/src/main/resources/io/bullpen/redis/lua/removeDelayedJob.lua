-- removeDelayedJob: cancels a delayed job (a timer) if it has not come due yet. Atomic: a job already moved to
-- wait, running or finished is left alone. A job scheduler's pending iteration is refused; remove the scheduler.
-- KEYS: 1 delayed, 2 events, 3 meta, 4 job key
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 job id, 3 now ms (for a parent released by the removal)
-- Returns 1 when removed (a `removed` event with prev `delayed` is written), 0 when the job is not delayed,
-- -1 when it does not exist, -8 when it is a scheduler's pending iteration.
--@include events
--@include placement
--@include jobs

local keyPrefix, jobId = ARGV[1], ARGV[2]
if redis.call("EXISTS", KEYS[4]) == 0 then
  return -1
end
if isCurrentSchedulerIteration(keyPrefix, jobId) then
  return -8
end
if redis.call("ZREM", KEYS[1], jobId) == 0 then
  return 0
end
unlinkFromParent(KEYS[4], tonumber(ARGV[3]), nil)
releaseDedupKey(keyPrefix, jobId, KEYS[4])
deleteJobKeys(KEYS[4])
emitCapped(KEYS[2], eventsMaxLen(KEYS[3]), "removed", "jobId", jobId, "prev", "delayed")
return 1
