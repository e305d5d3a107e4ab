--[[
  Adds jobs linked to parents in one atomic call: the trees of FlowProducer.add/addBulk (nodes in any queues, a
  parent before its children) and Queue.add/addBulk of jobs whose `parent` option names an existing job. Every
  check runs before the first write, so either every node is stored or, on an error, nothing is.

  KEYS    the meta key of every queue the nodes live in (for routing; every key used derives from the ARGV
          key prefixes, so in Redis Cluster all queues of one call must share a hash tag)
  ARGV[1] timestamp ms (now: when a parent is released at once because every child had finished already)
  ARGV[2] number of nodes N
  ARGV[3..] N groups of 13 values:
          1 key prefix of the node's queue "<prefix>:<queue>:"   2 job id, or "" for the queue's counter
          3 name   4 timestamp ms   5 data JSON   6 opts JSON   7 delay ms   8 priority   9 lifo "1"/"0"
          10 "1" when the node has children (it waits for them in waiting-children)
          11 parent's full job key or ""   12 the `parent` field JSON or ""
          13 "tree" when the parent is a node of this call, "existing" when it must exist already, "" for none

  Returns one entry per node, in order:
    {jobId, 0, state}                  stored; state is where it went (waiting-children, waiting, prioritized,
                                       delayed; a parent whose children had all finished is released at once);
    {jobId, 1, field, value, ...}      a job with that id existed: it was not replaced (a `duplicated` event is
                                       emitted) but linked to the given parent (a completed one is recorded as
                                       processed); its hash is returned;
  or, with nothing written:
    {-5, node}                         the parent of node number `node` (1-based) does not exist;
    {-7, node}                         node `node` exists with another parent that still exists.
]]
--@include adding
--@include parents
--@include state

local now = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local GROUP = 13

local function nodeAt(i)
  local base = 3 + (i - 1) * GROUP
  return {
    prefix = ARGV[base], id = ARGV[base + 1], name = ARGV[base + 2], timestamp = ARGV[base + 3],
    data = ARGV[base + 4], opts = ARGV[base + 5], delay = ARGV[base + 6], priority = ARGV[base + 7],
    lifo = ARGV[base + 8] == "1", hasChildren = ARGV[base + 9] == "1", parentKey = ARGV[base + 10],
    parentJson = ARGV[base + 11], parentSource = ARGV[base + 12]
  }
end

local nodes = {}
for i = 1, count do
  nodes[i] = nodeAt(i)
end

-- Checks first. `known` holds, for each job key the preceding nodes create or re-link, the parent key it will
-- have (false for none), so nodes of this call see each other as if already written.
local known = {}
local function existingParentOf(jobKey)
  local entry = known[jobKey]
  if entry ~= nil then
    return true, entry
  end
  if redis.call("EXISTS", jobKey) == 1 then
    return true, redis.call("HGET", jobKey, "parentKey") or false
  end
  return false, false
end

for i, node in ipairs(nodes) do
  local hasParent = node.parentKey ~= ""
  if hasParent and not existingParentOf(node.parentKey) then
    return {-5, i}
  end
  if node.id ~= "" then
    local jobKey = node.prefix .. node.id
    local exists, oldParent = existingParentOf(jobKey)
    if exists and hasParent and oldParent and oldParent ~= node.parentKey and existingParentOf(oldParent) then
      return {-7, i}
    end
    if hasParent or not exists then
      known[jobKey] = hasParent and node.parentKey or false
    end
  end
end

-- Writes.
local queues = {}
local function queueOf(prefix)
  local q = queues[prefix]
  if not q then
    q = {k = addKeysOf(prefix), ready = false, delayed = false}
    q.maxLen = eventsMaxLen(q.k.meta)
    queues[prefix] = q
  end
  return q
end

local parentsToCheck = {}
local function checkLater(parentKey)
  parentsToCheck[parentKey] = true
end

local results = {}
for i, node in ipairs(nodes) do
  local q = queueOf(node.prefix)
  -- The counter moves for every node, custom ids and duplicates included, as BullMQ's does.
  local counter = redis.call("INCR", q.k.id)
  local jobId = node.id
  if jobId == "" then
    jobId = string.format("%d", counter)
  end
  local jobKey = node.prefix .. jobId
  local hasParent = node.parentKey ~= ""

  if node.id ~= "" and redis.call("EXISTS", jobKey) == 1 then
    if hasParent then
      if redis.call("ZSCORE", node.prefix .. "completed", jobId) then
        redis.call("SREM", node.parentKey .. ":dependencies", jobKey)
        redis.call("HSET", node.parentKey .. ":processed", jobKey,
          redis.call("HGET", jobKey, "returnvalue") or "null")
        checkLater(node.parentKey)
      else
        redis.call("SADD", node.parentKey .. ":dependencies", jobKey)
      end
      redis.call("HSET", jobKey, "parentKey", node.parentKey, "parent", node.parentJson)
    end
    emitCapped(q.k.events, q.maxLen, "duplicated", "jobId", jobId)
    local entry = {jobId, 1}
    for _, value in ipairs(redis.call("HGETALL", jobKey)) do
      entry[#entry + 1] = value
    end
    results[i] = entry
  else
    local link = hasParent and {node.parentKey, node.parentJson} or nil
    local group, cap = storeNewJob(q.k, jobKey, jobId, node.name, node.data, node.opts, node.timestamp, node.delay,
      node.priority, link)
    local state = placeNewJob(q.k, q.maxLen, jobId, node.timestamp, tonumber(node.delay), tonumber(node.priority),
      node.lifo, node.hasChildren, group, cap)
    if state == "delayed" then
      q.delayed = true
    elseif state ~= "waiting-children" then
      q.ready = true
    end
    if hasParent then
      redis.call("SADD", node.parentKey .. ":dependencies", jobKey)
    end
    if node.hasChildren then
      checkLater(jobKey)
    end
    results[i] = {jobId, 0, state}
  end
end

for _, q in pairs(queues) do
  if q.ready and not isPausedOrMaxed(q.k.meta, q.k.active) then
    addReadyMarker(q.k.marker)
  end
  if q.delayed then
    updateDelayMarker(q.k.marker, q.k.delayed)
  end
end

-- A parent none of whose children is pending (they had all finished before) goes on at once.
for parentKey in pairs(parentsToCheck) do
  local prefix, id = splitJobKey(parentKey)
  if prefix then
    releaseParentIfSettled({id = id, prefix = prefix, key = parentKey}, now)
  end
end
for i, node in ipairs(nodes) do
  local entry = results[i]
  if entry[2] == 0 and entry[3] == "waiting-children" then
    entry[3] = jobStateIn(stateKeysOf(node.prefix), entry[1])
  end
end
return results
