-- Settling many active jobs in one call. Each operation checks, for its own job only, that the caller's token
-- holds the lock, and then moves the job exactly as the single-job script of the same name would (events,
-- fields, keep policy, flow parent); a job that fails the check gets its error code and the others go on.
-- op.kind: "c" complete (moveToFinished completed), "f" fail for good (moveToFinished failed),
--          "d" retry after a delay, using an attempt (moveToDelayed), "r" retry now, using an attempt
--          (retryJob), "w" back to the front of wait without using an attempt (moveJobFromActiveToWait),
--          "l" to delayed without using an attempt (a "retry later" the processor asked for), "x" extend lock.
--@include workerKeys
--@include events
--@include placement
--@include locks
--@include retention
--@include parents
--@include claim
--@include dedup
--@include deadLetters

-- The job's own keep policy from its opts (`removeOnComplete` / `removeOnFail`) as count, age s, limit.
local function keepPolicyFromOpts(opts, field)
  local v = opts[field]
  if v == true then
    return 0, -1, -1
  end
  if type(v) == "number" then
    return v, -1, -1
  end
  if type(v) == "table" then
    return tonumber(v.count) or -1, tonumber(v.age) or -1, tonumber(v.limit) or -1
  end
  return -1, -1, -1
end

-- Fills op.keepCount/keepAge/keepLimit/attempts from the job's opts when the caller left them empty.
local function resolveFromOpts(jobKey, op, completed)
  if op.keepCount ~= nil and op.attempts ~= nil then
    return
  end
  local ok, opts = pcall(cjson.decode, redis.call("HGET", jobKey, "opts") or "{}")
  if not ok or type(opts) ~= "table" then
    opts = {}
  end
  if op.keepCount == nil then
    op.keepCount, op.keepAge, op.keepLimit =
      keepPolicyFromOpts(opts, completed and "removeOnComplete" or "removeOnFail")
  end
  if op.attempts == nil then
    op.attempts = tonumber(opts.attempts) or 0
  end
end

-- Lock check and removal from active, shared by every move. Returns 0 or the error code.
local function takeOutOfActive(q, keyPrefix, jobKey, op, extraFields)
  local code = releaseOwnedLock(jobKey, op.id, op.token, q.stalled)
  if code ~= 0 then
    return code
  end
  if #extraFields > 0 then
    redis.call("HSET", jobKey, unpack(extraFields))
  end
  if redis.call("LREM", q.active, -1, op.id) == 0 then
    return -3
  end
  groupJobLeftActive(keyPrefix, jobKey, op.id, q.marker)
  return 0
end

-- Writes that many finishing jobs share, done once per call by flushFinishWrites: deleting the released locks,
-- dropping the ids from the stalled snapshot, and adding keep-all jobs to completed / failed.
local function newFinishWrites()
  return {locks = {}, stalled = {}, finished = {}}
end

local function flushFinishWrites(q, writes)
  local locks = writes.locks
  for first = 1, #locks, CHUNK do
    redis.call("DEL", unpack(locks, first, math.min(#locks, first + CHUNK - 1)))
  end
  callInChunks("SREM", q.stalled, writes.stalled)
  for key, members in pairs(writes.finished) do
    callInChunks("ZADD", key, members)
  end
  writes.locks, writes.stalled, writes.finished = {}, {}, {}
end

-- Completed or finally failed, as moveToFinished leaves it (without its fetch). The job's lock deletion, its
-- stalled-snapshot removal and (for keep-all jobs) its entry in completed/failed are collected in `writes`.
local function finishJob(q, keyPrefix, now, op, targetKey, writes)
  local jobKey = keyPrefix .. op.id
  local completed = op.kind == "c"
  local info = redis.call("HMGET", jobKey, "timestamp", "name", "atm", "parentKey", "parent", "deid", "bpg", "ats")
  if not info[1] and not info[2] and redis.call("EXISTS", jobKey) == 0 then
    return -1
  end
  if completed and redis.call("EXISTS", jobKey .. ":dependencies", jobKey .. ":unsuccessful") > 0 then
    if redis.call("SCARD", jobKey .. ":dependencies") > 0 then
      return -4
    end
    if redis.call("ZCARD", jobKey .. ":unsuccessful") > 0 then
      return -9
    end
  end
  if op.token ~= "0" then
    local holder = redis.call("GET", jobKey .. ":lock")
    if holder ~= op.token then
      if holder then
        return -6
      end
      return missingLockCode(jobKey, op.token)
    end
    -- Deleted with the others at the end of the call, so within it the lock reads as released.
    writes.locks[#writes.locks + 1] = jobKey .. ":lock"
    recordSettledBy(jobKey, op.token, info[8] or nil)
    writes.stalled[#writes.stalled + 1] = op.id
  end
  if redis.call("LREM", q.active, -1, op.id) == 0 then
    return -3
  end
  if info[7] then
    groupJobLeftActive(keyPrefix, jobKey, op.id, q.marker)
  end
  resolveFromOpts(jobKey, op, completed)
  local resultField = completed and "returnvalue" or "failedReason"
  local target = completed and "completed" or "failed"

  if info[6] then
    releaseDeduplicationKey(jobKey, op.id, keyPrefix)
    createKeptDedupJob(q, keyPrefix, jobKey, now, eventsMaxLen(q.meta))
  end
  local parent = nil
  if info[4] or info[5] then
    parent = parentOf(jobKey)
  end
  if parent then
    if completed then
      recordCompletedChild(parent, jobKey, op.value, now)
    else
      applyChildFailurePolicy(parent, jobKey, op.value, now)
    end
  end

  local attemptsMade = (tonumber(info[3]) or 0) + 1
  if not completed then
    redis.call("HDEL", jobKey, "defa")
    deadLetterJob(keyPrefix, op.id, jobKey, op.value, now)
  end
  if op.keepCount == 0 then
    if parent then
      unlinkRemovedChild(parent, jobKey, now)
    end
    removeJobKeys(jobKey)
  else
    if not completed and op.stacktrace ~= "" then
      redis.call("HSET", jobKey, resultField, op.value, "finishedOn", now, "atm", attemptsMade,
        "stacktrace", op.stacktrace)
    else
      redis.call("HSET", jobKey, resultField, op.value, "finishedOn", now, "atm", attemptsMade)
    end
    if op.keepAge < 0 and op.keepCount < 0 then
      local batch = writes.finished[targetKey] or {}
      batch[#batch + 1] = now
      batch[#batch + 1] = op.id
      writes.finished[targetKey] = batch
    else
      -- Eviction looks at the set as it is: earlier keep-all jobs of this call go in first.
      flushFinishWrites(q, writes)
      redis.call("ZADD", targetKey, now, op.id)
      if op.keepAge >= 0 then
        evictFinishedBefore(targetKey, keyPrefix, now - op.keepAge * 1000, op.keepLimit > 0 and op.keepLimit or 1000)
      end
      if op.keepCount > 0 then
        evictAllButNewest(targetKey, keyPrefix, op.keepCount)
      end
    end
  end

  emit(q.events, target, "jobId", op.id, resultField, op.value, "prev", "active")
  if not completed and attemptsMade >= op.attempts then
    emit(q.events, "retries-exhausted", "jobId", op.id, "attemptsMade", attemptsMade)
  end
  return 0
end

-- To delayed for op.number ms: a backoff retry ("d", uses an attempt) or a retry later ("l", does not).
local function delayJob(q, keyPrefix, now, op, maxLen)
  local jobKey = keyPrefix .. op.id
  if redis.call("EXISTS", jobKey) == 0 then
    return -1
  end
  local extra = {}
  if op.kind == "d" then
    extra = {"failedReason", op.value, "stacktrace", op.stacktrace}
  end
  local code = takeOutOfActive(q, keyPrefix, jobKey, op, extra)
  if code ~= 0 then
    return code
  end
  local due = now + op.number
  addToDelayed(q.delayed, op.id, due)
  if op.kind == "d" then
    redis.call("HINCRBY", jobKey, "atm", 1)
  end
  redis.call("HSET", jobKey, "delay", op.number)
  emitCapped(q.events, maxLen, "delayed", "jobId", op.id, "delay", due)
  return 0
end

-- Straight back to wait (or prioritized) using an attempt (retryJob); op.number 1 = lifo. `beforePlacing` runs
-- once the job has left active (the caller promotes due delayed jobs there, ahead of it).
local function retryJobNow(q, keyPrefix, op, maxLen, beforePlacing)
  local jobKey = keyPrefix .. op.id
  if redis.call("EXISTS", jobKey) == 0 then
    return -1
  end
  local code = takeOutOfActive(q, keyPrefix, jobKey, op, {"failedReason", op.value, "stacktrace", op.stacktrace})
  if code ~= 0 then
    return code
  end
  beforePlacing()
  local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
  if priority > 0 then
    addToPrioritized(q.prioritized, q.pc, op.id, priority)
  else
    pushToWait(q.wait, op.id, op.number == 1)
  end
  if not isPausedOrMaxed(q.meta, q.active) then
    addReadyMarker(q.marker)
  end
  redis.call("HINCRBY", jobKey, "atm", 1)
  emitCapped(q.events, maxLen, "waiting", "jobId", op.id, "prev", "active")
  return 0
end

-- Back to the front of wait (or of its priority) without using an attempt (moveJobFromActiveToWait).
local function returnJobToWait(q, keyPrefix, op, maxLen)
  local jobKey = keyPrefix .. op.id
  if redis.call("EXISTS", jobKey) == 0 then
    return -1
  end
  local code = takeOutOfActive(q, keyPrefix, jobKey, op, {})
  if code ~= 0 then
    return code
  end
  local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
  if priority > 0 then
    redis.call("ZADD", q.prioritized, priority * 4294967296, op.id)
  else
    pushToWait(q.wait, op.id, true)
  end
  if not isPausedOrMaxed(q.meta, q.active) then
    addReadyMarker(q.marker)
  end
  emitCapped(q.events, maxLen, "waiting", "jobId", op.id, "prev", "active")
  return 0
end

-- Renews the lock for op.number ms while op.token holds it (extendLock).
local function extendJobLock(q, keyPrefix, op)
  local lockKey = keyPrefix .. op.id .. ":lock"
  local holder = redis.call("GET", lockKey)
  if not holder then
    if redis.call("EXISTS", keyPrefix .. op.id) == 0 then
      return -1
    end
    return -2
  end
  if holder ~= op.token then
    return -6
  end
  redis.call("SET", lockKey, op.token, "PX", op.number)
  redis.call("SREM", q.stalled, op.id)
  return 0
end

-- Reads `count` operations of 12 values each from ARGV starting at `first`: kind, job id, token, value,
-- stacktrace, keep count, keep age, keep limit, attempts (the four empty = the job's own opts), number,
-- fetch next "1"/"0", clear cancel "1"/"0".
local function settleOperationsFrom(first, count)
  local ops = {}
  for i = 0, count - 1 do
    local a = first + i * 12
    ops[#ops + 1] = {
      kind = ARGV[a], id = ARGV[a + 1], token = ARGV[a + 2], value = ARGV[a + 3], stacktrace = ARGV[a + 4],
      keepCount = optionalNumber(ARGV[a + 5]), keepAge = optionalNumber(ARGV[a + 6]) or -1,
      keepLimit = optionalNumber(ARGV[a + 7]) or -1, attempts = optionalNumber(ARGV[a + 8]),
      number = tonumber(ARGV[a + 9]) or 0, fetchNext = ARGV[a + 10] == "1", clearCancel = ARGV[a + 11] == "1"
    }
  end
  return ops
end
