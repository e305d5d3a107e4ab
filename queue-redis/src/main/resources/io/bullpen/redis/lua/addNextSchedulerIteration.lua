-- addNextSchedulerIteration: run by a worker when it starts a job scheduler's iteration, as BullMQ's workers do,
-- so the schedule goes on whichever kind of worker takes the iterations. Only the scheduler's current iteration
-- (the job "repeat:<id>:<score in repeat>") may produce the next one, and only if that one does not exist yet:
-- however many workers race, each slot gets exactly one job.
-- KEYS: 1 repeat, 2 wait, 3 active, 4 prioritized, 5 pc, 6 delayed, 7 meta, 8 events, 9 marker, 10 id
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 scheduler id, 3 id of the starting job, 4 next run ms, 5 now ms,
--       6 the scheduler's `every` as read by the caller ("" when not checked), 7 its `offset` as read ("" = none),
--       8 iteration opts JSON without jobId and delay, 9 priority, 10 lifo "1"/"0"
-- Returns the new iteration's id; 0 when the scheduler is gone, the starting job is not its current iteration,
-- or the next iteration exists already (then a `duplicated` event is written); -100 when the scheduler's
-- `every` or `offset` changed since the caller read them (retry).
--@include events
--@include placement
--@include schedulers

local q = schedulerQueueKeys()
local keyPrefix, schedulerId = ARGV[1], ARGV[2]
local schedulerKey = q.repeatKey .. ":" .. schedulerId
local score = redis.call("ZSCORE", q.repeatKey, schedulerId)
if not score or ARGV[3] ~= iterationId(schedulerId, tonumber(score)) then
  return 0
end
local stored = redis.call("HMGET", schedulerKey, "every", "offset", "name", "data")
if ARGV[6] ~= "" and ((stored[1] or "") ~= ARGV[6] or (stored[2] or "") ~= ARGV[7]) then
  return -100
end
local maxLen = eventsMaxLen(q.meta)
local nextMillis = tonumber(ARGV[4])
local jobId = iterationId(schedulerId, nextMillis)
if redis.call("EXISTS", keyPrefix .. jobId) == 1 then
  emitCapped(q.events, maxLen, "duplicated", "jobId", jobId)
  return 0
end
redis.call("ZADD", q.repeatKey, ARGV[4], schedulerId)
redis.call("HINCRBY", schedulerKey, "ic", 1)
redis.call("INCR", q.id)
local delay = math.max(0, nextMillis - tonumber(ARGV[5]))
storeSchedulerJob(q, keyPrefix, jobId, stored[3] or "", stored[4] or "{}", optsWithIdAndDelay(ARGV[8], jobId, delay),
  ARGV[5], delay, tonumber(ARGV[9]), ARGV[10] == "1", schedulerId, maxLen)
return jobId
