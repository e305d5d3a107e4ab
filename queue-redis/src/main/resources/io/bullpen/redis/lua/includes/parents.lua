-- Flow links seen from a finishing child: recording its result in the parent, applying the parent-failure
-- policy copied into the child's `parent` field (fpof, cpof, idof, rdof), and releasing a parent whose
-- children have settled. The parent may live in another queue; its keys derive from its qualified name.
--@include events
--@include placement

-- The parent of the job at jobKey as {id, queueKey, key, fpof, cpof, idof, rdof}, or nil.
local function parentOf(jobKey)
  local fields = redis.call("HMGET", jobKey, "parentKey", "parent")
  local parentKey, parentJson = fields[1], fields[2]
  if not parentKey and not parentJson then
    return nil
  end
  local parent = {}
  if parentJson then
    local ok, decoded = pcall(cjson.decode, parentJson)
    if ok and type(decoded) == "table" and decoded.id and type(decoded.queueKey) == "string" then
      parent.id = tostring(decoded.id)
      parent.queueKey = decoded.queueKey
      parent.fpof = decoded.fpof == true
      parent.cpof = decoded.cpof == true
      parent.idof = decoded.idof == true
      parent.rdof = decoded.rdof == true
    end
  end
  if not parent.id then
    if not parentKey then
      return nil
    end
    -- "<prefix>:<queue>:<id>": neither prefix nor queue holds a colon, the id may.
    local first = string.find(parentKey, ":", 1, true)
    local second = first and string.find(parentKey, ":", first + 1, true)
    if not second then
      return nil
    end
    parent.queueKey = string.sub(parentKey, 1, second - 1)
    parent.id = string.sub(parentKey, second + 1)
  end
  parent.key = parent.queueKey .. ":" .. parent.id
  return parent
end

local function parentQueueKey(parent, suffix)
  return parent.queueKey .. ":" .. suffix
end

-- Puts a parent taken out of waiting-children (or delayed) back into play: delayed when it has its own delay
-- (unless ignoreDelay), else prioritized or the front of wait.
local function moveParentToRunnable(parent, now, ignoreDelay)
  local values = redis.call("HMGET", parent.key, "delay", "priority")
  local delay = tonumber(values[1]) or 0
  local priority = tonumber(values[2]) or 0
  local events = parentQueueKey(parent, "events")
  local marker = parentQueueKey(parent, "marker")
  if delay > 0 and not ignoreDelay then
    local delayed = parentQueueKey(parent, "delayed")
    local due = now + delay
    redis.call("ZADD", delayed, due * 4096, parent.id)
    emit(events, "delayed", "jobId", parent.id, "delay", due)
    updateDelayMarker(marker, delayed)
    return
  end
  if priority > 0 then
    addToPrioritized(parentQueueKey(parent, "prioritized"), parentQueueKey(parent, "pc"), parent.id, priority)
  else
    pushToWait(parentQueueKey(parent, "wait"), parent.id, true)
  end
  if not isPausedOrMaxed(parentQueueKey(parent, "meta"), parentQueueKey(parent, "active")) then
    addReadyMarker(marker)
  end
  emit(events, "waiting", "jobId", parent.id, "prev", "waiting-children")
end

-- Releases the parent when no dependency is pending and it is still waiting for its children.
local function releaseParentIfSettled(parent, now)
  if redis.call("SCARD", parent.key .. ":dependencies") > 0 then
    return
  end
  local waitingChildren = parentQueueKey(parent, "waiting-children")
  if redis.call("ZSCORE", waitingChildren, parent.id) then
    redis.call("ZREM", waitingChildren, parent.id)
    moveParentToRunnable(parent, now, false)
  end
end

local function recordCompletedChild(parent, childKey, returnValue, now)
  if redis.call("SREM", parent.key .. ":dependencies", childKey) == 1 then
    redis.call("HSET", parent.key .. ":processed", childKey, returnValue)
    releaseParentIfSettled(parent, now)
  end
end

local function applyChildFailurePolicy(parent, childKey, failedReason, now)
  local dependencies = parent.key .. ":dependencies"
  if parent.fpof then
    redis.call("SREM", dependencies, childKey)
    redis.call("ZADD", parent.key .. ":unsuccessful", now, childKey)
    local reason = "child " .. childKey .. " failed"
    local waitingChildren = parentQueueKey(parent, "waiting-children")
    local delayed = parentQueueKey(parent, "delayed")
    if redis.call("ZSCORE", waitingChildren, parent.id) then
      redis.call("ZREM", waitingChildren, parent.id)
      redis.call("HSET", parent.key, "defa", reason)
      moveParentToRunnable(parent, now, true)
    elseif redis.call("ZSCORE", delayed, parent.id) then
      redis.call("ZREM", delayed, parent.id)
      redis.call("HSET", parent.key, "delay", 0, "defa", reason)
      moveParentToRunnable(parent, now, true)
    elseif redis.call("EXISTS", parent.key) == 1
        and not redis.call("ZSCORE", parentQueueKey(parent, "failed"), parent.id) then
      redis.call("HSET", parent.key, "defa", reason)
    end
  elseif parent.cpof then
    redis.call("SREM", dependencies, childKey)
    redis.call("HSET", parent.key .. ":failed", childKey, failedReason)
    local waitingChildren = parentQueueKey(parent, "waiting-children")
    if redis.call("ZSCORE", waitingChildren, parent.id) then
      redis.call("ZREM", waitingChildren, parent.id)
      moveParentToRunnable(parent, now, false)
    end
  elseif parent.idof then
    redis.call("SREM", dependencies, childKey)
    redis.call("HSET", parent.key .. ":failed", childKey, failedReason)
    releaseParentIfSettled(parent, now)
  elseif parent.rdof then
    redis.call("SREM", dependencies, childKey)
    releaseParentIfSettled(parent, now)
  end
end

-- A child deleted right at its finish no longer counts as a pending dependency.
local function unlinkRemovedChild(parent, childKey, now)
  if redis.call("SREM", parent.key .. ":dependencies", childKey) == 1 then
    releaseParentIfSettled(parent, now)
  end
end
