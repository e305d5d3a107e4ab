-- Locating and deleting jobs, shared by the producer-side scripts (remove, clean, drain, state reads).
-- Needs: events, placement.

-- A full job key is <prefix>:<queue>:<id>; neither prefix nor queue contains ':', the id may.
-- Returns the queue's key prefix ("<prefix>:<queue>:") and the id, or nil for anything else.
local function splitJobKey(jobKey)
  return string.match(jobKey, "^([^:]+:[^:]+:)(.+)$")
end

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

-- A job scheduler's pending iteration "repeat:<schedulerId>:<millis>" is owned by the scheduler: removing it
-- directly would stop the schedule, so remove/clean/drain leave it alone.
local function isCurrentSchedulerIteration(queuePrefix, jobId)
  local schedulerId, millis = string.match(jobId, "^repeat:([^:]+):(%d+)$")
  if not schedulerId then
    return false
  end
  local score = redis.call("ZSCORE", queuePrefix .. "repeat", schedulerId)
  return score ~= false and score ~= nil and tonumber(score) == tonumber(millis)
end

-- Deletes the deduplication keys the job owns, so the id can be used again.
local function releaseDedupKey(queuePrefix, jobId, jobKey)
  local deid = redis.call("HGET", jobKey, "deid")
  if deid then
    local dedupKey = queuePrefix .. "de:" .. deid
    if redis.call("GET", dedupKey) == jobId then
      redis.call("DEL", dedupKey, queuePrefix .. "dn:" .. deid)
    end
  end
end

-- The job hash and every per-job key kept beside it.
local function deleteJobKeys(jobKey)
  redis.call("DEL", jobKey, jobKey .. ":logs", jobKey .. ":dependencies", jobKey .. ":processed",
    jobKey .. ":failed", jobKey .. ":unsuccessful", jobKey .. ":lock")
end

-- Takes the id out of whichever state set or list holds it; returns that state's name as BullMQ reports it in
-- the `removed` event (`unknown` when it was in none).
local function takeOutOfState(queuePrefix, jobId)
  for _, state in ipairs({"completed", "waiting-children", "delayed", "failed", "prioritized"}) do
    if redis.call("ZREM", queuePrefix .. state, jobId) == 1 then
      return state
    end
  end
  for _, state in ipairs({"wait", "paused"}) do
    if redis.call("LREM", queuePrefix .. state, 0, jobId) > 0 then
      return state
    end
  end
  if redis.call("LREM", queuePrefix .. "active", -1, jobId) > 0 then
    redis.call("SREM", queuePrefix .. "stalled", jobId)
    return "active"
  end
  return "unknown"
end

-- A parent whose last pending child is gone leaves waiting-children: to delayed if it has a delay, else to
-- prioritized or the front of wait.
local function releaseParent(parentPrefix, parentId, parentKey, timestamp)
  if redis.call("ZREM", parentPrefix .. "waiting-children", parentId) == 0 then
    return
  end
  local fields = redis.call("HMGET", parentKey, "delay", "priority")
  local delay = tonumber(fields[1]) or 0
  local priority = tonumber(fields[2]) or 0
  local events = parentPrefix .. "events"
  if delay > 0 then
    local due = timestamp + delay
    redis.call("ZADD", parentPrefix .. "delayed", due * 4096, parentId)
    emit(events, "delayed", "jobId", parentId, "delay", string.format("%.0f", due))
    updateDelayMarker(parentPrefix .. "marker", parentPrefix .. "delayed")
  else
    if priority > 0 then
      addToPrioritized(parentPrefix .. "prioritized", parentPrefix .. "pc", parentId, priority)
    else
      pushToWait(parentPrefix .. "wait", parentId, true)
    end
    if not isPausedOrMaxed(parentPrefix .. "meta", parentPrefix .. "active") then
      addReadyMarker(parentPrefix .. "marker")
    end
    emit(events, "waiting", "jobId", parentId, "prev", "waiting-children")
  end
end

-- Drops the job from its parent's pending dependencies. When that was the last one the parent is released,
-- except on a "hard" removal (clean, drain) of a parent in the same queue, which deletes the parent too.
local function unlinkFromParent(jobKey, timestamp, hardQueuePrefix)
  local parentKey = redis.call("HGET", jobKey, "parentKey")
  if not parentKey then
    return
  end
  local parentPrefix, parentId = splitJobKey(parentKey)
  if not parentPrefix then
    return
  end
  if redis.call("SREM", parentKey .. ":dependencies", jobKey) == 0 then
    return
  end
  if redis.call("SCARD", parentKey .. ":dependencies") > 0 then
    return
  end
  if hardQueuePrefix == parentPrefix then
    if redis.call("ZREM", parentPrefix .. "waiting-children", parentId) == 1 then
      unlinkFromParent(parentKey, timestamp, hardQueuePrefix)
      releaseDedupKey(parentPrefix, parentId, parentKey)
      deleteJobKeys(parentKey)
    end
  else
    releaseParent(parentPrefix, parentId, parentKey, timestamp)
  end
end

-- Deletes a job that the caller already took out of its state list/set, without events ("hard" removal).
local function deleteJobHard(queuePrefix, jobId, timestamp)
  local jobKey = queuePrefix .. jobId
  unlinkFromParent(jobKey, timestamp, queuePrefix)
  releaseDedupKey(queuePrefix, jobId, jobKey)
  deleteJobKeys(jobKey)
end
