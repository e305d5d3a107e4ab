-- moveToFinished: ends the active job `jobId` as completed or (finally) failed, applies the keep policy, emits
-- the finish events and, when asked, hands the worker its next job in the same atomic step.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 target set (completed or failed), 12 job hash
-- ARGV: 1 job id, 2 timestamp ms, 3 result field ("returnvalue" or "failedReason"), 4 its value (JSON for a
--       result, plain text for a reason), 5 target ("completed" or "failed"), 6 fetch next "1"/"0",
--       7 key prefix "<prefix>:<queue>:", 8 lock token of this job, 9 lock token for the next job,
--       10 lockDuration ms, 11 limiter max or "", 12 limiter duration ms or "", 13 worker name or "",
--       14 keep count (-1 all, 0 none, N newest), 15 keep age s (-1 none), 16 keep eviction limit
--       (-1 default), 17 attempts allowed, 18 metrics max data points (0 or "": no metrics), 19.. extra job
--       fields as field, value pairs (e.g. stacktrace)
-- Returns -1 missing job, -2 missing lock, -11 already moved with this token, -6 lock held by another token, -3 not active, -4 pending children,
-- -9 failed children; else, when fetching, the tuple of moveToActive; else 0.
--@include workerKeys
--@include locks
--@include retention
--@include parents
--@include fetch
--@include dedup
--@include deadLetters
--@include metrics

local q = workerQueueKeys()
local targetKey, jobKey = KEYS[11], KEYS[12]
local jobId, now = ARGV[1], tonumber(ARGV[2])
local resultField, resultValue, target = ARGV[3], ARGV[4], ARGV[5]
local fetchNext = ARGV[6] == "1"
local keyPrefix = ARGV[7]
local token = ARGV[8]
local fetchOptions = fetchOptionsFrom(9)
local keepCount, keepAge, keepLimit = tonumber(ARGV[14]), tonumber(ARGV[15]), tonumber(ARGV[16])
local attempts = tonumber(ARGV[17]) or 0
local maxDataPoints = tonumber(ARGV[18]) or 0
local completed = target == "completed"

if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
if completed then
  if redis.call("SCARD", jobKey .. ":dependencies") > 0 then
    return -4
  end
  if redis.call("ZCARD", jobKey .. ":unsuccessful") > 0 then
    return -9
  end
end
local lockResult = releaseOwnedLock(jobKey, jobId, token, q.stalled)
if lockResult ~= 0 then
  return lockResult
end
writeExtraFields(jobKey, 19)
if redis.call("LREM", q.active, -1, jobId) == 0 then
  return -3
end
groupJobLeftActive(keyPrefix, jobKey, jobId, q.marker)

-- Trim once here so that the uncapped events below are never the ones trimmed away.
trimEvents(q.events, eventsMaxLen(q.meta))

releaseDeduplicationKey(jobKey, jobId, keyPrefix)
createKeptDedupJob(q, keyPrefix, jobKey, now, eventsMaxLen(q.meta))
local parent = parentOf(jobKey)
if parent then
  if completed then
    recordCompletedChild(parent, jobKey, resultValue, now)
  else
    applyChildFailurePolicy(parent, jobKey, resultValue, now)
  end
end

local attemptsMade = redis.call("HINCRBY", jobKey, "atm", 1)
if not completed then
  redis.call("HDEL", jobKey, "defa")
  deadLetterJob(keyPrefix, jobId, jobKey, resultValue, now)
end
if keepCount == 0 then
  if parent then
    unlinkRemovedChild(parent, jobKey, now)
  end
  removeJobKeys(jobKey)
else
  redis.call("ZADD", targetKey, now, jobId)
  redis.call("HSET", jobKey, resultField, resultValue, "finishedOn", now)
  if keepAge >= 0 then
    evictFinishedBefore(targetKey, keyPrefix, now - keepAge * 1000, keepLimit > 0 and keepLimit or 1000)
  end
  if keepCount > 0 then
    evictAllButNewest(targetKey, keyPrefix, keepCount)
  end
end

emit(q.events, target, "jobId", jobId, resultField, resultValue, "prev", "active")
if not completed and attemptsMade >= attempts then
  emit(q.events, "retries-exhausted", "jobId", jobId, "attemptsMade", attemptsMade)
end

collectMetrics(keyPrefix, target, maxDataPoints, now)

if fetchNext then
  local tuple, blocked = fetchNextJob(q, keyPrefix, now, fetchOptions)
  if blocked or tuple[2] ~= 0 or tuple[3] > 0 or tuple[4] > 0 then
    return tuple
  end
end
if redis.call("LLEN", q.wait) == 0 and redis.call("LLEN", q.active) == 0
    and redis.call("ZCARD", q.prioritized) == 0 then
  emit(q.events, "drained")
end
if fetchNext then
  return {0, 0, 0, 0}
end
return 0
