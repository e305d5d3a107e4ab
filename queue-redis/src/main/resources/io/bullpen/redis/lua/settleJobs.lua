-- settleJobs: settles many active jobs in one atomic step (complete, fail, retry, return to wait, extend),
-- checking the lock of each job on its own, then claims jobs for the caller: one for every operation that
-- asked for its successor and succeeded, plus `extra claims` more. Used by the lease API (ack, fail, abandon,
-- extend), the batch worker and the per-job worker's grouped completions.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 completed, 12 failed
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 timestamp ms, 3 extra claims, 4 lock token of claimed jobs,
--       5 lock duration ms, 6 limiter max or "", 7 limiter duration ms or "", 8 worker name or "" (followed by the worker's capabilities, each after a "\n"),
--       9 metrics max data points (0 or "": no metrics of finished jobs), 10 number of operations,
--       11.. operations of 12 values each: kind ("c" complete, "f" fail for good,
--       "d" retry after a delay, "r" retry now, "w" back to wait without an attempt, "l" delay without an
--       attempt, "x" extend lock), job id, lock token, value (result JSON for "c", failed reason for
--       "f"/"d"/"r"), stacktrace JSON or "", keep count, keep age s, keep limit, attempts (these four "" =
--       the job's own opts), number (delay ms for "d"/"l", lifo 1/0 for "r", lock ms for "x"),
--       fetch next "1"/"0", clear cancel "1"/"0" (blank the job's recorded cancel `bpcancel` once moved)
-- Returns {{code per operation: 0 or -1 missing job, -2 missing lock, -11 already moved with this token, -6 lock held by another token, -3 not
-- active, -4 pending children, -9 failed children}, {id, fields, id, fields, ...} claimed jobs in the order
-- of the operations that asked for one, then the extra ones, rate-limit ttl ms, next delayed due ms}.
--@include workerKeys
--@include settle
--@include claim
--@include metrics

local q = workerQueueKeys()
local completedKey, failedKey = KEYS[11], KEYS[12]
local keyPrefix, now = ARGV[1], tonumber(ARGV[2])
local extraClaims = tonumber(ARGV[3])
local claimOptions = fetchOptionsFrom(4)
local maxDataPoints = tonumber(ARGV[9]) or 0
local ops = settleOperationsFrom(11, tonumber(ARGV[10]))

local maxLen = eventsMaxLen(q.meta)
local finishing, delaying = false, false
for _, op in ipairs(ops) do
  finishing = finishing or op.kind == "c" or op.kind == "f"
end
-- Trim once here so that the uncapped finish events below are never the ones trimmed away.
if finishing then
  trimEvents(q.events, maxLen)
end
-- Due delayed jobs go to wait ahead of the first job retried at once (as retryJob promotes before it puts the
-- job back), once its lock has been checked: a refused retry promotes nothing.
local promoted = false
local function promoteOnce()
  if not promoted then
    promoted = true
    promoteDueDelayedJobs(q, keyPrefix, now, isPausedOrMaxed(q.meta, q.active))
  end
end

local codes = {}
local finished = false
local successors = 0
local writes = newFinishWrites()
for i, op in ipairs(ops) do
  local code
  if op.kind == "c" then
    code = finishJob(q, keyPrefix, now, op, completedKey, writes)
  elseif op.kind == "f" then
    code = finishJob(q, keyPrefix, now, op, failedKey, writes)
  elseif op.kind == "d" or op.kind == "l" then
    code = delayJob(q, keyPrefix, now, op, maxLen)
    delaying = delaying or code == 0
  elseif op.kind == "r" then
    code = retryJobNow(q, keyPrefix, op, maxLen, promoteOnce)
  elseif op.kind == "w" then
    code = returnJobToWait(q, keyPrefix, op, maxLen)
  elseif op.kind == "x" then
    code = extendJobLock(q, keyPrefix, op)
  else
    return redis.error_reply("settleJobs: unknown operation " .. tostring(op.kind))
  end
  codes[i] = code
  if code == 0 and (op.kind == "c" or op.kind == "f") then
    collectMetrics(keyPrefix, op.kind == "c" and "completed" or "failed", maxDataPoints, now)
  end
  finished = finished or (code == 0 and (op.kind == "c" or op.kind == "f"))
  if code == 0 and op.clearCancel and redis.call("EXISTS", keyPrefix .. op.id) == 1 then
    redis.call("HSET", keyPrefix .. op.id, "bpcancel", "")
  end
  if code == 0 and op.fetchNext then
    successors = successors + 1
  end
end
flushFinishWrites(q, writes)

local wanted = successors + extraClaims
local jobs, ttl, due, blocked = {}, 0, 0, false
if wanted > 0 then
  jobs, ttl, due, blocked = claimJobs(q, keyPrefix, now, claimOptions, wanted)
end
if delaying and #jobs == 0 then
  updateDelayMarker(q.marker, q.delayed)
end
-- BullMQ's `drained`: a finish left nothing to run, and a fetch (if any) found nothing, not even delayed jobs. A
-- refused finish (another owner's lock, a job not active) finishes nothing, so it emits nothing either.
if finished and #jobs == 0 and not blocked and ttl == 0 and due == 0
    and redis.call("LLEN", q.wait) == 0 and redis.call("LLEN", q.active) == 0
    and redis.call("ZCARD", q.prioritized) == 0 then
  emit(q.events, "drained")
end
return {codes, jobs, ttl, due}
