-- Routed jobs (Bullpen's extension): a job may name a group (hash field `bpg`) or a capability a worker must
-- have (`bpcap`). Such jobs wait outside `wait`, in lists BullMQ does not read, so only Bullpen workers take
-- them: `bp:g:<group>:wait` per group, `bp:cap:<capability>:wait` per capability.
--
-- Groups have limits (hash `bp:g:<group>:limits`, else `bp:groups:defaults`): `max` starts per `duration` ms (a
-- sliding window over the start times in zset `bp:g:<group>:starts`, client clock) and `concurrency` (the ids in
-- set `bp:g:<group>:active`). Groups with waiting jobs are served round-robin from the list `bp:groups:ready`;
-- a group over its rate limit waits in zset `bp:groups:limited` (score = when it may start again), one at its
-- concurrency in set `bp:groups:maxed`; hash `bp:groups:state` says which (r, l, m), so a group is in at most one.
-- Ungrouped and grouped jobs take turns (string `bp:groups:turn`) so neither starves the other.
-- `bp:config` field `routed` marks a queue that ever had a routed job, so other queues pay nothing.
-- Needs: events, placement.

local function routingKeyPrefix(q)
  return string.sub(q.wait, 1, -5)
end

local function groupKey(keyPrefix, groupId, suffix)
  return keyPrefix .. "bp:g:" .. groupId .. ":" .. suffix
end

-- The group and capability named in a job's opts JSON (keys `bpg`, `bpcap`), or nils.
local function routeOfOpts(optsJson)
  if not string.find(optsJson, '"bp', 1, true) then
    return nil, nil
  end
  local ok, opts = pcall(cjson.decode, optsJson)
  if not ok or type(opts) ~= "table" then
    return nil, nil
  end
  local group = type(opts.bpg) == "string" and opts.bpg ~= "" and opts.bpg or nil
  local cap = type(opts.bpcap) == "string" and opts.bpcap ~= "" and opts.bpcap or nil
  return group, cap
end

local function markGroupReady(keyPrefix, groupId)
  if not redis.call("HGET", keyPrefix .. "bp:groups:state", groupId) then
    redis.call("HSET", keyPrefix .. "bp:groups:state", groupId, "r")
    redis.call("LPUSH", keyPrefix .. "bp:groups:ready", groupId)
  end
end

-- Parks a runnable routed job in its group's or capability's list (front = next to run).
local function parkRoutedJob(keyPrefix, jobId, group, cap, front)
  redis.call("HSET", keyPrefix .. "bp:config", "routed", 1)
  local listKey
  if group then
    listKey = groupKey(keyPrefix, group, "wait")
  else
    listKey = keyPrefix .. "bp:cap:" .. cap .. ":wait"
  end
  if front then
    redis.call("RPUSH", listKey, jobId)
  else
    redis.call("LPUSH", listKey, jobId)
  end
  if group then
    markGroupReady(keyPrefix, group)
  end
end

-- max, duration, concurrency of a group (its own limits, else the queue's defaults for groups).
local function groupLimits(keyPrefix, groupId)
  local own = redis.call("HMGET", groupKey(keyPrefix, groupId, "limits"), "max", "duration", "concurrency")
  local defaults = redis.call("HMGET", keyPrefix .. "bp:groups:defaults", "max", "duration", "concurrency")
  local max, duration = tonumber(own[1]), tonumber(own[2])
  if not max then
    max, duration = tonumber(defaults[1]), tonumber(defaults[2])
  end
  return max, duration, tonumber(own[3]) or tonumber(defaults[3])
end

-- Active ids of the group; ids whose lock is gone (finished by a script that did not report it, or stalled)
-- are forgotten.
local function groupActiveCount(keyPrefix, groupId, concurrency)
  local activeKey = groupKey(keyPrefix, groupId, "active")
  local count = redis.call("SCARD", activeKey)
  if count >= concurrency then
    for _, id in ipairs(redis.call("SMEMBERS", activeKey)) do
      if redis.call("EXISTS", keyPrefix .. id .. ":lock") == 0 then
        redis.call("SREM", activeKey, id)
        count = count - 1
      end
    end
  end
  return count
end

-- When the group may start a job again: 0 now; else the time (ms) its rate window frees a slot, or -1 while
-- it is at its concurrency.
local function groupAvailableAt(keyPrefix, groupId, now)
  local max, duration, concurrency = groupLimits(keyPrefix, groupId)
  if concurrency and groupActiveCount(keyPrefix, groupId, concurrency) >= concurrency then
    return -1
  end
  if max and duration then
    local startsKey = groupKey(keyPrefix, groupId, "starts")
    local latest = redis.call("ZRANGE", startsKey, -1, -1, "WITHSCORES")
    now = math.max(now, tonumber(latest[2]) or 0)
    redis.call("ZREMRANGEBYSCORE", startsKey, "-inf", now - duration)
    if redis.call("ZCARD", startsKey) >= max then
      local oldest = redis.call("ZRANGE", startsKey, 0, 0, "WITHSCORES")
      return tonumber(oldest[2]) + duration
    end
  end
  return 0
end

-- A group whose job left `active` (finished, retried, delayed, stalled, put back) frees a concurrency slot.
local function groupJobLeftActive(keyPrefix, jobKey, jobId, markerKey)
  local groupId = redis.call("HGET", jobKey, "bpg")
  if not groupId then
    return
  end
  redis.call("SREM", groupKey(keyPrefix, groupId, "active"), jobId)
  local stateKey = keyPrefix .. "bp:groups:state"
  if redis.call("HGET", stateKey, groupId) == "m" then
    redis.call("SREM", keyPrefix .. "bp:groups:maxed", groupId)
    redis.call("HDEL", stateKey, groupId)
    if redis.call("LLEN", groupKey(keyPrefix, groupId, "wait")) > 0 then
      markGroupReady(keyPrefix, groupId)
      redis.call("ZADD", markerKey, 0, "0")
    end
  end
end

-- Limited groups whose time has come, and one maxed group picked at random (in case a slot was freed by a
-- script that does not report it), go back to the ready ring.
local function reviveGroups(keyPrefix, now)
  local due = redis.call("ZRANGEBYSCORE", keyPrefix .. "bp:groups:limited", "-inf", now, "LIMIT", 0, 100)
  for _, groupId in ipairs(due) do
    redis.call("ZREM", keyPrefix .. "bp:groups:limited", groupId)
    redis.call("HDEL", keyPrefix .. "bp:groups:state", groupId)
    if redis.call("LLEN", groupKey(keyPrefix, groupId, "wait")) > 0 then
      markGroupReady(keyPrefix, groupId)
    end
  end
  local maxed = redis.call("SRANDMEMBER", keyPrefix .. "bp:groups:maxed")
  if maxed and groupAvailableAt(keyPrefix, maxed, now) ~= -1 then
    redis.call("SREM", keyPrefix .. "bp:groups:maxed", maxed)
    redis.call("HDEL", keyPrefix .. "bp:groups:state", maxed)
    if redis.call("LLEN", groupKey(keyPrefix, maxed, "wait")) > 0 then
      markGroupReady(keyPrefix, maxed)
    end
  end
end

-- Takes the next job of the next group in turn into `active`, or nil. Groups found limited or at their
-- concurrency leave the ring until they may run again.
local function takeFromGroups(q, keyPrefix, now)
  local readyKey = keyPrefix .. "bp:groups:ready"
  local stateKey = keyPrefix .. "bp:groups:state"
  for _ = 1, redis.call("LLEN", readyKey) do
    local groupId = redis.call("RPOPLPUSH", readyKey, readyKey)
    if not groupId then
      return nil
    end
    local availableAt = groupAvailableAt(keyPrefix, groupId, now)
    if availableAt == -1 then
      redis.call("LPOP", readyKey)
      redis.call("HSET", stateKey, groupId, "m")
      redis.call("SADD", keyPrefix .. "bp:groups:maxed", groupId)
    elseif availableAt > 0 then
      redis.call("LPOP", readyKey)
      redis.call("HSET", stateKey, groupId, "l")
      redis.call("ZADD", keyPrefix .. "bp:groups:limited", availableAt, groupId)
    else
      local waitKey = groupKey(keyPrefix, groupId, "wait")
      local id = redis.call("RPOP", waitKey)
      while id and redis.call("EXISTS", keyPrefix .. id) == 0 do
        id = redis.call("RPOP", waitKey)
      end
      if redis.call("LLEN", waitKey) == 0 then
        redis.call("LPOP", readyKey)
        redis.call("HDEL", stateKey, groupId)
      end
      if id then
        redis.call("LPUSH", q.active, id)
        redis.call("SADD", groupKey(keyPrefix, groupId, "active"), id)
        local max, duration = groupLimits(keyPrefix, groupId)
        if max and duration then
          -- Starts are recorded in order even when a worker's clock reading is a little behind another's.
          local startsKey = groupKey(keyPrefix, groupId, "starts")
          local latest = redis.call("ZRANGE", startsKey, -1, -1, "WITHSCORES")
          local at = math.max(now, tonumber(latest[2]) or 0)
          redis.call("ZADD", startsKey, at, id .. ":" .. at)
          redis.call("PEXPIRE", startsKey, math.floor(duration) + 1000)
        end
        return id
      end
    end
  end
  return nil
end

-- A job popped from wait or prioritized into `active` that is routed (put there by a script that does not know
-- routing: a retry, a stall, a promotion) is moved to its list instead. Returns true when it was.
local function redirectRoutedJob(q, keyPrefix, id)
  local route = redis.call("HMGET", keyPrefix .. id, "bpg", "bpcap")
  if not route[1] and not route[2] then
    return false
  end
  redis.call("LREM", q.active, -1, id)
  parkRoutedJob(keyPrefix, id, route[1], route[2], true)
  redis.call("ZADD", q.marker, 0, "0")
  return true
end

-- The earliest time a rate-limited group may run again (ms), or 0.
local function nextGroupDue(keyPrefix)
  local first = redis.call("ZRANGE", keyPrefix .. "bp:groups:limited", 0, 0, "WITHSCORES")
  return first[2] and tonumber(first[2]) or 0
end
