-- retryJob: puts the active job `jobId` straight back to wait (or prioritized) for another attempt, consuming
-- an attempt (an immediate retry: no backoff delay).
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 job hash
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 timestamp ms, 3 job id, 4 lock token, 5 lifo "1"/"0",
--       6.. extra job fields as field, value pairs (failedReason, stacktrace)
-- Returns 0, or -1 missing job, -2 missing lock, -11 already moved with this token, -6 lock held by another token, -3 not active.
--@include workerKeys
--@include locks
--@include fetch

local q = workerQueueKeys()
local jobKey = KEYS[11]
local keyPrefix, now, jobId, token = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4]
local lifo = ARGV[5] == "1"

promoteDueDelayedJobs(q, keyPrefix, now, isPausedOrMaxed(q.meta, q.active))

if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
local lockResult = releaseOwnedLock(jobKey, jobId, token, q.stalled)
if lockResult ~= 0 then
  return lockResult
end
writeExtraFields(jobKey, 6)
if redis.call("LREM", q.active, -1, jobId) == 0 then
  return -3
end
groupJobLeftActive(keyPrefix, jobKey, jobId, q.marker)

local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
if priority > 0 then
  addToPrioritized(q.prioritized, q.pc, jobId, priority)
else
  pushToWait(q.wait, jobId, lifo)
end
if not isPausedOrMaxed(q.meta, q.active) then
  addReadyMarker(q.marker)
end
redis.call("HINCRBY", jobKey, "atm", 1)
emitCapped(q.events, eventsMaxLen(q.meta), "waiting", "jobId", jobId, "prev", "active")
return 0
