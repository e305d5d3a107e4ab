-- moveToDelayed: moves the active job `jobId` to delayed (a retry after a backoff), consuming an attempt
-- unless told not to, and optionally hands the worker its next job in the same atomic step.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 job hash
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 timestamp ms, 3 job id, 4 delay ms, 5 skip attempt "1"/"0",
--       6 fetch next "1"/"0", 7 lock token of this job, 8 lock token for the next job, 9 lockDuration ms,
--       10 limiter max or "", 11 limiter duration ms or "", 12 worker name or "",
--       13.. extra job fields as field, value pairs (failedReason, stacktrace)
-- Returns -1 missing job, -2 missing lock, -11 already moved with this token, -6 lock held by another token, -3 not active; else, when
-- fetching, the tuple of moveToActive; else 0.
--@include workerKeys
--@include locks
--@include fetch

local q = workerQueueKeys()
local jobKey = KEYS[11]
local keyPrefix, now, jobId = ARGV[1], tonumber(ARGV[2]), ARGV[3]
local delay = tonumber(ARGV[4])
local skipAttempt = ARGV[5] == "1"
local fetchNext = ARGV[6] == "1"
local token = ARGV[7]
local fetchOptions = fetchOptionsFrom(8)

if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
local lockResult = releaseOwnedLock(jobKey, jobId, token, q.stalled)
if lockResult ~= 0 then
  return lockResult
end
writeExtraFields(jobKey, 13)
if redis.call("LREM", q.active, -1, jobId) == 0 then
  return -3
end
groupJobLeftActive(routingKeyPrefix(q), jobKey, jobId, q.marker)

local due = now + delay
addToDelayed(q.delayed, jobId, due)
if not skipAttempt then
  redis.call("HINCRBY", jobKey, "atm", 1)
end
redis.call("HSET", jobKey, "delay", delay)
emitCapped(q.events, eventsMaxLen(q.meta), "delayed", "jobId", jobId, "delay", due)

if fetchNext then
  local tuple = fetchNextJob(q, keyPrefix, now, fetchOptions)
  if tuple[2] == 0 then
    updateDelayMarker(q.marker, q.delayed)
  end
  return tuple
end
updateDelayMarker(q.marker, q.delayed)
return 0
