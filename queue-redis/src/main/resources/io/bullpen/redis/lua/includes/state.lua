-- Where a job is: BullMQ's getState order over one queue's state keys.

-- LPOS needs Redis 6.0.6; older servers get a chunked scan.
local function listContains(listKey, value)
  local pos = redis.pcall("LPOS", listKey, value)
  if type(pos) == "table" and pos.err then
    local len = redis.call("LLEN", listKey)
    for start = 0, len - 1, 1000 do
      local chunk = redis.call("LRANGE", listKey, start, start + 999)
      for _, v in ipairs(chunk) do
        if v == value then
          return true
        end
      end
    end
    return false
  end
  return pos ~= false and pos ~= nil
end

-- The state-key table of the queue with key prefix "<prefix>:<queue>:".
local function stateKeysOf(queuePrefix)
  return {
    completed = queuePrefix .. "completed", failed = queuePrefix .. "failed", delayed = queuePrefix .. "delayed",
    prioritized = queuePrefix .. "prioritized", active = queuePrefix .. "active", wait = queuePrefix .. "wait",
    paused = queuePrefix .. "paused", waitingChildren = queuePrefix .. "waiting-children"
  }
end

-- completed, failed, delayed, prioritized, active, waiting (also for a routed job in its group's or capability's
-- list), waiting-children or unknown.
local function jobStateIn(k, jobId)
  if redis.call("ZSCORE", k.completed, jobId) then
    return "completed"
  end
  if redis.call("ZSCORE", k.failed, jobId) then
    return "failed"
  end
  if redis.call("ZSCORE", k.delayed, jobId) then
    return "delayed"
  end
  if redis.call("ZSCORE", k.prioritized, jobId) then
    return "prioritized"
  end
  if listContains(k.active, jobId) then
    return "active"
  end
  if listContains(k.wait, jobId) or listContains(k.paused, jobId) then
    return "waiting"
  end
  if redis.call("ZSCORE", k.waitingChildren, jobId) then
    return "waiting-children"
  end
  -- A routed job (Bullpen groups and capabilities) waits in its own list.
  local queuePrefix = string.sub(k.wait, 1, -5)
  local route = redis.call("HMGET", queuePrefix .. jobId, "bpg", "bpcap")
  if route[1] and listContains(queuePrefix .. "bp:g:" .. route[1] .. ":wait", jobId) then
    return "waiting"
  end
  if route[2] and listContains(queuePrefix .. "bp:cap:" .. route[2] .. ":wait", jobId) then
    return "waiting"
  end
  return "unknown"
end
