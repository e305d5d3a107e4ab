-- Claiming several runnable jobs in one call: the batch counterpart of fetchNextJob in fetch.lua. Due delayed
-- jobs are promoted first; the queue's pause flag, global concurrency and rate limit bound how many jobs move;
-- each claimed job leaves wait (else prioritized) for active exactly as a single fetch would leave it: its own
-- lock, `active` event, processedOn, ats (and pb).
--@include workerKeys
--@include events
--@include placement
--@include fetch

-- How many jobs the rate limiter lets start now (math.huge without a limit) and, when none, the remaining
-- window in ms.
local function rateLimitAllowance(q, maxJobs)
  if not maxJobs then
    return math.huge, 0
  end
  local started = tonumber(redis.call("GET", q.limiter)) or 0
  if started >= maxJobs then
    local ttl = redis.call("PTTL", q.limiter)
    if ttl > 0 then
      return 0, ttl
    end
    redis.call("DEL", q.limiter)
    started = 0
  end
  return maxJobs - started, 0
end

-- Counts `taken` jobs against the rate limiter, opening the window when this is its first job.
local function countStartedJobs(q, maxJobs, window, taken)
  if not maxJobs or taken == 0 then
    return
  end
  if redis.call("INCRBY", q.limiter, taken) == taken and window then
    redis.call("PEXPIRE", q.limiter, math.floor(window))
  end
end

-- Moves up to `count` jobs to active, each locked with opts.token for opts.lockDuration.
-- Returns: a flat list {id, fields (HGETALL), id, fields, ...}, the rate-limit ttl in ms (0 if not limited),
-- the next delayed due time in ms (only when nothing was claimed, else 0), and whether the queue is paused or
-- at its global concurrency.
local function claimJobs(q, keyPrefix, now, opts, count)
  local meta = redis.call("HMGET", q.meta, "paused", "concurrency", "max", "duration")
  local concurrency = tonumber(meta[2])
  local activeCount = redis.call("LLEN", q.active)
  local pausedOrMaxed = meta[1] ~= false or (concurrency ~= nil and activeCount >= concurrency)

  promoteDueDelayedJobs(q, keyPrefix, now, pausedOrMaxed)
  if count <= 0 then
    return {}, 0, 0, pausedOrMaxed
  end

  local maxJobs = tonumber(meta[3]) or opts.limiterMax
  local allowed, ttl = rateLimitAllowance(q, maxJobs)
  if ttl > 0 then
    return {}, ttl, 0, pausedOrMaxed
  end
  if pausedOrMaxed then
    return {}, 0, 0, true
  end
  if concurrency then
    allowed = math.min(allowed, concurrency - activeCount)
  end
  count = math.min(count, allowed)

  local jobs = {}
  local taken = 0
  local vanished = 0
  while taken < count and vanished < 10 do
    local id = takeNextJobId(q)
    if not id then
      break
    end
    local jobKey = keyPrefix .. id
    if redis.call("EXISTS", jobKey) == 1 then
      taken = taken + 1
      if opts.token ~= "0" then
        redis.call("SET", jobKey .. ":lock", opts.token, "PX", opts.lockDuration)
      end
      emit(q.events, "active", "jobId", id, "prev", "waiting")
      if opts.workerName ~= "" then
        redis.call("HSET", jobKey, "processedOn", now, "pb", opts.workerName)
      else
        redis.call("HSET", jobKey, "processedOn", now)
      end
      redis.call("HINCRBY", jobKey, "ats", 1)
      jobs[#jobs + 1] = id
      jobs[#jobs + 1] = redis.call("HGETALL", jobKey)
    else
      -- A job id whose hash is gone (deleted behind the queue's back) is dropped rather than handed out.
      redis.call("LREM", q.active, -1, id)
      vanished = vanished + 1
    end
  end

  if taken == 0 then
    return jobs, 0, nextDelayedDue(q), false
  end
  countStartedJobs(q, maxJobs, opts.limiterDuration or tonumber(meta[4]), taken)
  if not isPausedOrMaxed(q.meta, q.active) then
    addReadyMarker(q.marker)
  end
  return jobs, 0, 0, false
end
