-- Flow links between a child and its parent, the one place that moves a parent out of waiting-children:
-- recording a finished child in its parent, the parent-failure policies copied into the child's `parent` field
-- (fpof, cpof, idof, rdof), and releasing a parent whose children have settled or been removed. The parent may
-- live in another queue, even under another prefix: its keys derive from its qualified queue name.
--@include events
--@include placement

-- A full job key is <prefix>:<queue>:<id>; neither prefix nor queue contains ':', the id may.
-- Returns the queue's key prefix ("<prefix>:<queue>:") and the id, or nil for anything else.
local function splitJobKey(jobKey)
  return string.match(jobKey, "^([^:]+:[^:]+:)(.+)$")
end

-- The parent of the job at jobKey as {id, queueKey, prefix, key, fpof, cpof, idof, rdof}, or nil. The `parent`
-- JSON is preferred (it carries the policy flags); `parentKey` alone still identifies the parent.
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
    local prefix, id = splitJobKey(parentKey)
    if not prefix then
      return nil
    end
    parent.queueKey = string.sub(prefix, 1, -2)
    parent.id = id
  end
  parent.prefix = parent.queueKey .. ":"
  parent.key = parent.prefix .. parent.id
  return parent
end

-- The full keys of a parent's children: completed, pending, failed with fpof, ignored failures; with
-- `perKind`, at most that many of each (the first page of each kind).
local function childKeysOf(jobKey, perKind)
  local keys = {}
  local function add(items, step)
    local last = #items
    if perKind then
      last = math.min(last, perKind * step)
    end
    for i = 1, last, step do
      keys[#keys + 1] = items[i]
    end
  end
  if perKind then
    add(redis.call("HSCAN", jobKey .. ":processed", 0, "COUNT", perKind)[2], 2)
    add(redis.call("SSCAN", jobKey .. ":dependencies", 0, "COUNT", perKind)[2], 1)
    add(redis.call("ZRANGE", jobKey .. ":unsuccessful", 0, perKind - 1), 1)
    add(redis.call("HSCAN", jobKey .. ":failed", 0, "COUNT", perKind)[2], 2)
  else
    add(redis.call("HKEYS", jobKey .. ":processed"), 1)
    add(redis.call("SMEMBERS", jobKey .. ":dependencies"), 1)
    add(redis.call("ZRANGE", jobKey .. ":unsuccessful", 0, -1), 1)
    add(redis.call("HKEYS", jobKey .. ":failed"), 1)
  end
  return keys
end

-- Places a parent that has left waiting-children (or delayed, `prev`): into delayed with due = now + its own
-- delay (score due * 4096, no sequence), else prioritized by its priority, else the front of wait.
local function placeReleasedParent(parent, now, prev)
  local values = redis.call("HMGET", parent.key, "delay", "priority")
  local delay = tonumber(values[1]) or 0
  local priority = tonumber(values[2]) or 0
  local p = parent.prefix
  if delay > 0 then
    local due = now + delay
    redis.call("ZADD", p .. "delayed", due * 4096, parent.id)
    emit(p .. "events", "delayed", "jobId", parent.id, "delay", due)
    updateDelayMarker(p .. "marker", p .. "delayed")
    return
  end
  if priority > 0 then
    addToPrioritized(p .. "prioritized", p .. "pc", parent.id, priority)
  else
    pushToWait(p .. "wait", parent.id, true)
  end
  if not isPausedOrMaxed(p .. "meta", p .. "active") then
    addReadyMarker(p .. "marker")
  end
  emit(p .. "events", "waiting", "jobId", parent.id, "prev", prev)
end

-- Releases the parent when no dependency is pending and it is still waiting for its children.
local function releaseParentIfSettled(parent, now)
  if redis.call("SCARD", parent.key .. ":dependencies") > 0 then
    return
  end
  if redis.call("ZREM", parent.prefix .. "waiting-children", parent.id) == 1 then
    placeReleasedParent(parent, now, "waiting-children")
  end
end

-- A removed child (remove, removeChildDependency, removal right at its finish) releases a parent whose last
-- pending child it was. BullMQ puts such a parent at the front of wait whatever its delay or priority.
local function unlinkRemovedChild(parent, childKey)
  if redis.call("SREM", parent.key .. ":dependencies", childKey) == 0 then
    return false
  end
  if redis.call("SCARD", parent.key .. ":dependencies") == 0
      and redis.call("ZREM", parent.prefix .. "waiting-children", parent.id) == 1 then
    local p = parent.prefix
    pushToWait(p .. "wait", parent.id, true)
    if not isPausedOrMaxed(p .. "meta", p .. "active") then
      addReadyMarker(p .. "marker")
    end
    emit(p .. "events", "waiting", "jobId", parent.id, "prev", "waiting-children")
  end
  return true
end

local function recordCompletedChild(parent, childKey, returnValue, now)
  if redis.call("SREM", parent.key .. ":dependencies", childKey) == 1 then
    redis.call("HSET", parent.key .. ":processed", childKey, returnValue)
    releaseParentIfSettled(parent, now)
  end
end

-- fpof: the parent fails as soon as a worker takes it (`defa`). One waiting for children is released by its own
-- rules (a delayed parent stays delayed), one already delayed goes to wait now; elsewhere it only gets `defa`.
local function failParent(parent, childKey, now)
  local reason = "child " .. childKey .. " failed"
  if redis.call("ZREM", parent.prefix .. "waiting-children", parent.id) == 1 then
    redis.call("HSET", parent.key, "defa", reason)
    placeReleasedParent(parent, now, "waiting-children")
  elseif redis.call("ZREM", parent.prefix .. "delayed", parent.id) == 1 then
    redis.call("HSET", parent.key, "delay", 0, "defa", reason)
    placeReleasedParent(parent, now, "delayed")
  elseif redis.call("EXISTS", parent.key) == 1
      and not redis.call("ZSCORE", parent.prefix .. "failed", parent.id) then
    redis.call("HSET", parent.key, "defa", reason)
  end
end

local function applyChildFailurePolicy(parent, childKey, failedReason, now)
  local dependencies = parent.key .. ":dependencies"
  if parent.fpof then
    redis.call("SREM", dependencies, childKey)
    redis.call("ZADD", parent.key .. ":unsuccessful", now, childKey)
    failParent(parent, childKey, now)
  elseif parent.cpof then
    redis.call("SREM", dependencies, childKey)
    redis.call("HSET", parent.key .. ":failed", childKey, failedReason)
    if redis.call("ZREM", parent.prefix .. "waiting-children", parent.id) == 1 then
      placeReleasedParent(parent, now, "waiting-children")
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
