-- Handing the next runnable job to a worker: promotion of due delayed jobs, the rate limiter, and the move
-- from wait (or prioritized) to active with a fresh lock. Shared by moveToActive and the fetch-next part of
-- the scripts that finish a job. `q` is the table built by workerQueueKeys().
--@include workerKeys
--@include events
--@include placement
--@include routing

local PROMOTE_BATCH = 1000

-- Moves delayed jobs due at `now` (at most PROMOTE_BATCH) to wait or prioritized.
local function promoteDueDelayedJobs(q, keyPrefix, now, pausedOrMaxed)
  local ids = redis.call("ZRANGEBYSCORE", q.delayed, "-inf", (now + 1) * 4096 - 1, "LIMIT", 0, PROMOTE_BATCH)
  if #ids == 0 then
    return
  end
  for _, id in ipairs(ids) do
    redis.call("ZREM", q.delayed, id)
    local jobKey = keyPrefix .. id
    if redis.call("EXISTS", jobKey) == 1 then
      local priority = tonumber(redis.call("HGET", jobKey, "priority")) or 0
      if priority > 0 then
        addToPrioritized(q.prioritized, q.pc, id, priority)
      else
        pushToWait(q.wait, id, false)
      end
      redis.call("HSET", jobKey, "delay", 0)
      emit(q.events, "waiting", "jobId", id, "prev", "delayed")
    end
  end
  if not pausedOrMaxed then
    addReadyMarker(q.marker)
  end
end

-- Remaining window in ms while the `limiter` counter has reached maxJobs, else 0.
local function rateLimitTtl(q, maxJobs)
  if not maxJobs then
    return 0
  end
  local started = tonumber(redis.call("GET", q.limiter))
  if started and started >= maxJobs then
    local ttl = redis.call("PTTL", q.limiter)
    if ttl > 0 then
      return ttl
    end
    redis.call("DEL", q.limiter)
  end
  return 0
end

-- Pops the next job id into `active`: the wait list first, then the lowest prioritized score.
local function takeWaitingJobId(q)
  local id = redis.call("RPOPLPUSH", q.wait, q.active)
  if id and string.sub(id, 1, 2) == "0:" then
    -- A v4 marker left in the list: discard it and look once more.
    redis.call("LREM", q.active, 1, id)
    id = redis.call("RPOPLPUSH", q.wait, q.active)
  end
  if id then
    return id
  end
  local popped = redis.call("ZPOPMIN", q.prioritized)
  if popped[1] then
    redis.call("LPUSH", q.active, popped[1])
    return popped[1]
  end
  redis.call("DEL", q.pc)
  return nil
end

-- Pops the next job id into `active`. On a queue with routed jobs (routing.lua): first the jobs needing one of
-- the worker's capabilities, then ungrouped and grouped jobs in turn.
local function takeNextJobId(q, now, capabilities)
  local keyPrefix = routingKeyPrefix(q)
  if not redis.call("HGET", keyPrefix .. "bp:config", "routed") then
    return takeWaitingJobId(q)
  end
  for _, cap in ipairs(capabilities or {}) do
    local listKey = keyPrefix .. "bp:cap:" .. cap .. ":wait"
    local id = redis.call("RPOPLPUSH", listKey, q.active)
    while id and redis.call("EXISTS", keyPrefix .. id) == 0 do
      redis.call("LREM", q.active, -1, id)
      id = redis.call("RPOPLPUSH", listKey, q.active)
    end
    if id then
      return id
    end
  end
  reviveGroups(keyPrefix, now)
  local readyKey = keyPrefix .. "bp:groups:ready"
  local turnKey = keyPrefix .. "bp:groups:turn"
  if redis.call("GET", turnKey) then
    redis.call("DEL", turnKey)
    local id = takeFromGroups(q, keyPrefix, now)
    if id then
      return id
    end
  end
  local id = takeWaitingJobId(q)
  while id and redirectRoutedJob(q, keyPrefix, id) do
    id = takeWaitingJobId(q)
  end
  if id then
    if redis.call("EXISTS", readyKey) == 1 then
      redis.call("SET", turnKey, "g")
    end
    return id
  end
  return takeFromGroups(q, keyPrefix, now)
end

-- Earliest delayed due time in ms (or, when sooner, the time a rate-limited group may run again), or 0.
local function nextDelayedDue(q)
  local due = 0
  local first = redis.call("ZRANGE", q.delayed, 0, 0, "WITHSCORES")
  if first[2] then
    due = math.floor(tonumber(first[2]) / 4096)
  end
  local groupDue = nextGroupDue(routingKeyPrefix(q))
  if groupDue > 0 and (due == 0 or groupDue < due) then
    return groupDue
  end
  return due
end

-- Returns the tuple {job fields or 0, job id or 0, rate-limit ttl ms, next delayed due ms} and, as a second
-- value, whether the queue is paused or at its global concurrency.
-- opts: token, lockDuration, limiterMax (nil if none), limiterDuration (nil if none), workerName ("" if none).
local function fetchNextJob(q, keyPrefix, now, opts)
  local meta = redis.call("HMGET", q.meta, "paused", "concurrency", "max", "duration")
  local concurrency = tonumber(meta[2])
  local pausedOrMaxed = meta[1] ~= false
    or (concurrency ~= nil and redis.call("LLEN", q.active) >= concurrency)

  promoteDueDelayedJobs(q, keyPrefix, now, pausedOrMaxed)

  local maxJobs = tonumber(meta[3]) or opts.limiterMax
  local ttl = rateLimitTtl(q, maxJobs)
  if ttl > 0 then
    return {0, 0, ttl, 0}, pausedOrMaxed
  end
  if pausedOrMaxed then
    return {0, 0, 0, 0}, true
  end

  -- A job id whose hash is gone (deleted behind the queue's back) is dropped rather than handed out.
  for _ = 1, 10 do
    local id = takeNextJobId(q, now, opts.capabilities)
    if not id then
      break
    end
    local jobKey = keyPrefix .. id
    if redis.call("EXISTS", jobKey) == 1 then
      if maxJobs then
        if redis.call("INCR", q.limiter) == 1 then
          local window = opts.limiterDuration or tonumber(meta[4])
          if window then
            redis.call("PEXPIRE", q.limiter, math.floor(window))
          end
        end
      end
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
      if not isPausedOrMaxed(q.meta, q.active) then
        addReadyMarker(q.marker)
      end
      return {redis.call("HGETALL", jobKey), id, 0, 0}, false
    end
    redis.call("LREM", q.active, -1, id)
  end
  return {0, 0, 0, nextDelayedDue(q)}, false
end

-- Reads the fetch options from ARGV starting at `first`: token, lockDuration, limiter max, limiter duration,
-- worker identity: the worker name ("" if none), followed by the worker's capabilities, each after a "\n".
local function fetchOptionsFrom(first)
  local identity = ARGV[first + 4] or ""
  local name = identity
  local capabilities = {}
  local cut = string.find(identity, "\n", 1, true)
  if cut then
    name = string.sub(identity, 1, cut - 1)
    for cap in string.gmatch(string.sub(identity, cut + 1), "[^\n]+") do
      capabilities[#capabilities + 1] = cap
    end
  end
  return {
    token = ARGV[first],
    lockDuration = tonumber(ARGV[first + 1]),
    limiterMax = optionalNumber(ARGV[first + 2]),
    limiterDuration = optionalNumber(ARGV[first + 3]),
    workerName = name,
    capabilities = capabilities
  }
end
