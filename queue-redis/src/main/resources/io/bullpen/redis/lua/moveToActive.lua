-- moveToActive: hands the next runnable job to a worker (BullMQ's fetch). Promotes due delayed jobs, honours
-- the queue's pause flag, global concurrency and rate limit, moves one job from wait (else prioritized) to
-- active, locks it with the worker's token and marks it started.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 timestamp ms, 3 lock token, 4 lockDuration ms,
--       5 limiter max or "", 6 limiter duration ms or "", 7 worker name or ""
-- Returns {job fields (flat HGETALL) or 0, job id or 0, rate-limit ttl ms, next delayed due ms}.
--@include workerKeys
--@include fetch

local q = workerQueueKeys()
local tuple = fetchNextJob(q, ARGV[1], tonumber(ARGV[2]), fetchOptionsFrom(3))
return tuple
