-- Storing a new job and placing it by its options, as BullMQ's add does: shared by addJobs (plain jobs of one
-- queue) and addFlow (trees of jobs across queues). Routed jobs (Bullpen's groups and capabilities) wait in
-- their own lists.
--@include events
--@include placement
--@include routing

-- The keys an add touches in the queue with key prefix "<prefix>:<queue>:".
local function addKeysOf(queuePrefix)
  return {
    prefix = queuePrefix, wait = queuePrefix .. "wait", meta = queuePrefix .. "meta", id = queuePrefix .. "id",
    delayed = queuePrefix .. "delayed", prioritized = queuePrefix .. "prioritized", pc = queuePrefix .. "pc",
    active = queuePrefix .. "active", events = queuePrefix .. "events", marker = queuePrefix .. "marker",
    waitingChildren = queuePrefix .. "waiting-children"
  }
end

-- Writes the job hash and emits `added`. `link` is nil or {parentKey, parentJson} for a flow child. Returns the
-- job's group and capability (from its opts), or nils.
local function storeNewJob(k, jobKey, jobId, name, data, opts, timestamp, delay, priority, link)
  if link then
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", opts, "timestamp", timestamp, "delay", delay,
      "priority", priority, "parentKey", link[1], "parent", link[2])
  else
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", opts, "timestamp", timestamp, "delay", delay,
      "priority", priority)
  end
  emit(k.events, "added", "jobId", jobId, "name", name)
  local group, cap = routeOfOpts(opts)
  if group or cap then
    redis.call("HSET", jobKey, group and "bpg" or "bpcap", group or cap)
  end
  return group, cap
end

-- Puts a stored job where it starts: waiting-children for a flow parent (its own delay and priority apply when
-- its children have settled), else delayed, its routed list, prioritized or wait (the front with lifo). Returns
-- the state it took; the caller writes the marker ("delayed" needs the delay marker, the others but
-- waiting-children the ready marker).
local function placeNewJob(k, maxLen, jobId, timestamp, delay, priority, lifo, waitsForChildren, group, cap)
  if waitsForChildren then
    redis.call("ZADD", k.waitingChildren, timestamp, jobId)
    emitCapped(k.events, maxLen, "waiting-children", "jobId", jobId)
    return "waiting-children"
  end
  if delay > 0 then
    local due = tonumber(timestamp) + delay
    addToDelayed(k.delayed, jobId, due)
    emitCapped(k.events, maxLen, "delayed", "jobId", jobId, "delay", string.format("%.0f", due))
    return "delayed"
  end
  local state = "waiting"
  if group or cap then
    parkRoutedJob(k.prefix, jobId, group, cap, lifo)
  elseif priority > 0 then
    addToPrioritized(k.prioritized, k.pc, jobId, priority)
    state = "prioritized"
  else
    pushToWait(k.wait, jobId, lifo)
  end
  emitCapped(k.events, maxLen, "waiting", "jobId", jobId)
  return state
end
