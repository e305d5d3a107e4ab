-- moveJobFromActiveToWait: a processor reported that it is rate limited; the active job `jobId` goes back to
-- the front of wait (or of its priority) without consuming an attempt.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 job hash
-- ARGV: 1 job id, 2 lock token
-- Returns the remaining rate-limit window of `limiter` in ms (0 if none), or -1 missing job, -2 missing lock,
-- -11 already moved with this token, -6 lock held by another token.
--@include workerKeys
--@include locks
--@include events
--@include placement
--@include routing

local q = workerQueueKeys()
local jobKey = KEYS[11]
local jobId, token = ARGV[1], ARGV[2]

if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
local lockResult = releaseOwnedLock(jobKey, jobId, token, q.stalled)
if lockResult ~= 0 then
  return lockResult
end
if redis.call("LREM", q.active, -1, jobId) > 0 then
  groupJobLeftActive(routingKeyPrefix(q), jobKey, jobId, q.marker)
  local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
  if priority > 0 then
    redis.call("ZADD", q.prioritized, priority * 4294967296, jobId)
  else
    pushToWait(q.wait, jobId, true)
  end
  if not isPausedOrMaxed(q.meta, q.active) then
    addReadyMarker(q.marker)
  end
  emitCapped(q.events, eventsMaxLen(q.meta), "waiting", "jobId", jobId, "prev", "active")
end
local ttl = redis.call("PTTL", q.limiter)
if ttl > 0 then
  return ttl
end
return 0
