-- moveStalledJobsToWait: the stalled-job check, called by every worker and guarded so one full check runs per
-- stalledInterval per queue. A job is stalled when it is active, its lock is gone, and it has been active for a
-- stalled interval: it was in the previous full check's snapshot (BullMQ's rule) or its processedOn is that old
-- (so a job taken without a lock still gets an interval). Stalled jobs go back to the front of wait with `stc`
-- incremented; past maxStalledCount they get `defa` so the next worker fails them.
-- A full check (guard `stalled-check` absent) sets the guard, trims the events, moves the stalled jobs of
-- `active` and makes `active` the snapshot for the next check, as BullMQ's does. Between full checks (guard
-- present) only the snapshot's jobs are looked at, so a dead worker's job goes back as soon as its lock runs out
-- instead of at the next full check.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 stalled-check, 12 repeat
-- ARGV: 1 maxStalledCount, 2 key prefix "<prefix>:<queue>:", 3 timestamp ms, 4 stalledInterval ms
-- Returns {ms until a call can find more to do, {ids moved back to wait}}: until the guard runs out, or sooner,
-- when a lock in the snapshot runs out or a job there without a lock has been active for an interval.
--@include workerKeys
--@include events
--@include placement
--@include routing

local q = workerQueueKeys()
local stalledCheckKey, repeatKey = KEYS[11], KEYS[12]
local maxStalledCount = tonumber(ARGV[1])
local keyPrefix, now, interval = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])

local moved = {}
local callAgainIn = interval

local function soonest(ms)
  if ms < callAgainIn then
    callAgainIn = math.max(ms, 1)
  end
end

-- An iteration that is its scheduler's current one must keep producing the next one, so it never fails.
local function isLiveSchedulerIteration(jobKey)
  local schedulerId = redis.call("HGET", jobKey, "rjk")
  if not schedulerId then
    return false
  end
  return redis.call("EXISTS", keyPrefix .. "repeat:" .. schedulerId) == 1
    or redis.call("ZSCORE", repeatKey, schedulerId) ~= false
end

-- Puts a stalled job (already taken out of `active`) back at the front of wait.
local function giveBack(jobId, jobKey)
  groupJobLeftActive(keyPrefix, jobKey, jobId, q.marker)
  if redis.call("EXISTS", jobKey) == 0 then
    return
  end
  local stalledCount = redis.call("HINCRBY", jobKey, "stc", 1)
  if stalledCount > maxStalledCount and not isLiveSchedulerIteration(jobKey) then
    redis.call("HSET", jobKey, "defa", "job stalled more than allowable limit")
  end
  pushToWait(q.wait, jobId, true)
  if not isPausedOrMaxed(q.meta, q.active) then
    addReadyMarker(q.marker)
  end
  emit(q.events, "waiting", "jobId", jobId, "prev", "active")
  emit(q.events, "stalled", "jobId", jobId)
  moved[#moved + 1] = jobId
end

-- Looks at one active job: gives it back when stalled, else notes when its lock runs out (a live worker renews
-- it first, which takes it out of the snapshot) or when a job without a lock will have been active an interval.
-- Returns whether it was given back.
local function look(jobId, inSnapshot)
  local jobKey = keyPrefix .. jobId
  local lockTtl = redis.call("PTTL", jobKey .. ":lock")
  if lockTtl >= 0 then
    soonest(lockTtl + 1)
    return false
  elseif lockTtl == -1 then
    return false -- a lock without expiry is held for good
  end
  local processedOn = tonumber(redis.call("HGET", jobKey, "processedOn"))
  local comesOfAgeIn = processedOn and processedOn + interval - now
  if inSnapshot or (comesOfAgeIn and comesOfAgeIn <= 0) then
    if redis.call("LREM", q.active, 1, jobId) > 0 then
      giveBack(jobId, jobKey)
    end
    return true
  end
  if comesOfAgeIn then
    soonest(comesOfAgeIn)
  end
  return false
end

local function isLegacyMarker(jobId)
  return string.sub(jobId, 1, 2) == "0:"
end

local guardTtl = redis.call("PTTL", stalledCheckKey)
if guardTtl == -2 then
  redis.call("SET", stalledCheckKey, ARGV[3], "PX", interval)
  trimEvents(q.events, eventsMaxLen(q.meta))
  local previous = {}
  for _, jobId in ipairs(redis.call("SMEMBERS", q.stalled)) do
    if isLegacyMarker(jobId) then
      redis.call("LREM", q.active, 1, jobId)
    else
      previous[jobId] = true
    end
  end
  redis.call("DEL", q.stalled)
  local snapshot = {}
  for _, jobId in ipairs(redis.call("LRANGE", q.active, 0, -1)) do
    if isLegacyMarker(jobId) or not look(jobId, previous[jobId]) then
      snapshot[#snapshot + 1] = jobId
    end
  end
  for first = 1, #snapshot, 5000 do
    redis.call("SADD", q.stalled, unpack(snapshot, first, math.min(first + 4999, #snapshot)))
  end
else
  -- A guard without expiry was not set by a check: look again an interval later.
  if guardTtl > 0 then
    callAgainIn = guardTtl
  end
  for _, jobId in ipairs(redis.call("SMEMBERS", q.stalled)) do
    -- Here the snapshot may be moments old: only a job's own age lets it go back without a lock.
    if not isLegacyMarker(jobId) and look(jobId, false) then
      redis.call("SREM", q.stalled, jobId)
    end
  end
end
return {callAgainIn, moved}
