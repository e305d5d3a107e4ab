-- promoteDelayedJobs: the QueueScheduler's timer, run when the earliest delayed job is due. Moves every delayed
-- job due at `now` (at most 1000 per call) to wait or prioritized, as a worker's fetch would, and writes the
-- ready marker so idle workers (Java or Node) wake at once.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 now ms
-- Returns {due time (ms) of the earliest job still delayed or 0 when none is left, jobs that were in wait before}.
--@include workerKeys
--@include fetch

local q = workerQueueKeys()
local waiting = redis.call("LLEN", q.wait)
promoteDueDelayedJobs(q, ARGV[1], tonumber(ARGV[2]), isPausedOrMaxed(q.meta, q.active))
return {nextDelayedDue(q), waiting}
