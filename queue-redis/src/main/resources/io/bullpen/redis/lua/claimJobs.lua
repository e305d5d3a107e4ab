-- claimJobs: moves up to `count` runnable jobs (wait first, then prioritized) to active in one atomic step,
-- each locked with the same token, with its own `active` event; the lease API's claim and the worker's fetch
-- when several slots are free. Promotes due delayed jobs and honours pause, global concurrency and the rate
-- limiter (the queue's meta `max`, else the limiter given here).
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 timestamp ms, 3 most jobs to claim, 4 lock token,
--       5 lock duration ms, 6 limiter max or "", 7 limiter duration ms or "", 8 worker name or "" (followed by the worker's capabilities, each after a "\n")
-- Returns {{id, fields, id, fields, ...}, rate-limit ttl ms, next delayed due ms (0 if none or if jobs were
-- claimed)}.
--@include workerKeys
--@include claim

local q = workerQueueKeys()
local opts = fetchOptionsFrom(4)
local jobs, ttl, due = claimJobs(q, ARGV[1], tonumber(ARGV[2]), opts, tonumber(ARGV[3]))
return {jobs, ttl, due}
