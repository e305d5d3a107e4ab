-- Locating and deleting jobs, shared by the producer-side scripts (remove, clean, drain).
--@include events
--@include placement
--@include parents

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

-- Drops the job from its parent's pending dependencies. When that was the last one the parent is released,
-- except on a "hard" removal (clean, drain) of a parent in the same queue, which deletes the parent too.
local function unlinkFromParent(jobKey, hardQueuePrefix)
  local parent = parentOf(jobKey)
  if not parent then
    return
  end
  if hardQueuePrefix ~= parent.prefix then
    unlinkRemovedChild(parent, jobKey)
    return
  end
  if redis.call("SREM", parent.key .. ":dependencies", jobKey) == 1
      and redis.call("SCARD", parent.key .. ":dependencies") == 0
      and redis.call("ZREM", parent.prefix .. "waiting-children", parent.id) == 1 then
    unlinkFromParent(parent.key, hardQueuePrefix)
    releaseDedupKey(parent.prefix, parent.id, parent.key)
    deleteJobKeys(parent.key)
  end
end

-- Deletes a job that the caller already took out of its state list/set, without events ("hard" removal).
local function deleteJobHard(queuePrefix, jobId)
  local jobKey = queuePrefix .. jobId
  unlinkFromParent(jobKey, queuePrefix)
  releaseDedupKey(queuePrefix, jobId, jobKey)
  deleteJobKeys(jobKey)
end
