-- Placing a job id into a runnable or delayed state, with BullMQ's encodings:
-- wait list (LPUSH = back of the queue, RPUSH = front), prioritized score priority * 2^32 + counter,
-- delayed score due * 4096 + sequence, and the `marker` zset that wakes idle workers.

-- Whether the queue is paused or at its global concurrency: then no ready marker is written.
local function isPausedOrMaxed(metaKey, activeKey)
  local values = redis.call("HMGET", metaKey, "paused", "concurrency")
  if values[1] then
    return true
  end
  local concurrency = tonumber(values[2])
  if concurrency and redis.call("LLEN", activeKey) >= concurrency then
    return true
  end
  return false
end

local function addReadyMarker(markerKey)
  redis.call("ZADD", markerKey, 0, "0")
end

-- The delay marker holds the earliest due time (ms, may be fractional) under member "1".
local function updateDelayMarker(markerKey, delayedKey)
  local first = redis.call("ZRANGE", delayedKey, 0, 0, "WITHSCORES")
  if first[2] then
    redis.call("ZADD", markerKey, tonumber(first[2]) / 4096, "1")
  end
end

-- Pushes to the wait list: front = next to run (RPUSH), else back (LPUSH).
local function pushToWait(waitKey, jobId, front)
  if front then
    redis.call("RPUSH", waitKey, jobId)
  else
    redis.call("LPUSH", waitKey, jobId)
  end
end

local function prioritizedScore(pcKey, priority)
  local counter = redis.call("INCR", pcKey)
  return priority * 4294967296 + (counter % 4294967296)
end

local function addToPrioritized(prioritizedKey, pcKey, jobId, priority)
  redis.call("ZADD", prioritizedKey, prioritizedScore(pcKey, priority), jobId)
end

-- FIFO within one millisecond: the next free sequence number in [due*4096, due*4096+4095].
local function delayedScore(delayedKey, dueMs)
  local base = dueMs * 4096
  local last = redis.call("ZREVRANGEBYSCORE", delayedKey, base + 4095, base, "WITHSCORES", "LIMIT", 0, 1)
  if last[2] then
    local score = tonumber(last[2])
    if score < base + 4095 then
      return score + 1
    end
    return score
  end
  return base
end

local function addToDelayed(delayedKey, jobId, dueMs)
  local score = delayedScore(delayedKey, dueMs)
  redis.call("ZADD", delayedKey, score, jobId)
  return score
end
