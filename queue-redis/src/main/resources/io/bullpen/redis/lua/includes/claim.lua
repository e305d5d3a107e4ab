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

-- Largest number of arguments handed to one command (Lua's unpack has a stack limit).
local CHUNK = 1000

-- Runs `command key item...` over `items` in chunks.
local function callInChunks(command, key, items)
  for first = 1, #items, CHUNK do
    redis.call(command, key, unpack(items, first, math.min(#items, first + CHUNK - 1)))
  end
end

-- Takes up to n job ids off wait (oldest first), then off prioritized (lowest score first), and pushes them
-- onto active in that order, as n single fetches (RPOPLPUSH, or ZPOPMIN and LPUSH) would.
local function popRunnableIds(q, n)
  local ids = {}
  local popped = redis.pcall("RPOP", q.wait, n)
  if type(popped) == "table" and popped.err then
    -- Redis before 6.2 has no RPOP count.
    popped = {}
    for _ = 1, n do
      local id = redis.call("RPOP", q.wait)
      if not id then
        break
      end
      popped[#popped + 1] = id
    end
  end
  for _, id in ipairs(popped or {}) do
    -- A v4 marker left in the list is discarded.
    if string.sub(id, 1, 2) ~= "0:" then
      ids[#ids + 1] = id
    end
  end
  if #ids < n then
    local wanted = n - #ids
    local prioritized = redis.call("ZPOPMIN", q.prioritized, wanted)
    for i = 1, #prioritized, 2 do
      ids[#ids + 1] = prioritized[i]
    end
    if #prioritized < wanted * 2 then
      redis.call("DEL", q.pc)
    end
  end
  callInChunks("LPUSH", q.active, ids)
  return ids
end

-- Moves up to `count` jobs to active, each locked with opts.token for opts.lockDuration.
-- Returns: a flat list {id, fields, id, fields, ...} (fields as HGETALL gives them, with the values this claim
-- wrote appended), the rate-limit ttl in ms (0 if not limited), the next delayed due time in ms (only when
-- nothing was claimed, else 0), and whether the queue is paused or at its global concurrency.
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
  local ids = {}
  if count > 0 then
    if redis.call("HGET", keyPrefix .. "bp:config", "routed") then
      -- Routed jobs (routing.lua): groups and capabilities are served one job at a time, as by a single fetch.
      for _ = 1, count do
        local id = takeNextJobId(q, now, opts.capabilities)
        if not id then
          break
        end
        ids[#ids + 1] = id
      end
    else
      ids = popRunnableIds(q, count)
    end
    for _, id in ipairs(ids) do
      local jobKey = keyPrefix .. id
      local fields = redis.call("HGETALL", jobKey)
      if #fields == 0 then
        -- A job id whose hash is gone (deleted behind the queue's back) is dropped rather than handed out.
        redis.call("LREM", q.active, -1, id)
      else
        taken = taken + 1
        local started = 1
        for i = 1, #fields, 2 do
          if fields[i] == "ats" then
            started = (tonumber(fields[i + 1]) or 0) + 1
            break
          end
        end
        if opts.token ~= "0" then
          redis.call("SET", jobKey .. ":lock", opts.token, "PX", opts.lockDuration)
        end
        emit(q.events, "active", "jobId", id, "prev", "waiting")
        fields[#fields + 1] = "processedOn"
        fields[#fields + 1] = tostring(now)
        fields[#fields + 1] = "ats"
        fields[#fields + 1] = tostring(started)
        if opts.workerName ~= "" then
          redis.call("HSET", jobKey, "processedOn", now, "ats", started, "pb", opts.workerName)
          fields[#fields + 1] = "pb"
          fields[#fields + 1] = opts.workerName
        else
          redis.call("HSET", jobKey, "processedOn", now, "ats", started)
        end
        jobs[#jobs + 1] = id
        jobs[#jobs + 1] = fields
      end
    end
  end

  if taken == 0 then
    return jobs, 0, nextDelayedDue(q), false
  end
  countStartedJobs(q, maxJobs, opts.limiterDuration or tonumber(meta[4]), taken)
  -- Not paused (checked above), and meta is the same as read above: only the active count moved.
  if not (concurrency ~= nil and activeCount + taken >= concurrency) then
    addReadyMarker(q.marker)
  end
  return jobs, 0, 0, false
end
