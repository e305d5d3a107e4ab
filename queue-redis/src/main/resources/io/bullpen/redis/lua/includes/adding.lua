-- Storing a new job and placing it by its options, as BullMQ's add does: shared by addJobs (plain jobs of one
-- queue) and addFlow (trees of jobs across queues).
--@include events
--@include placement

-- The keys an add touches in the queue with key prefix "<prefix>:<queue>:".
local function addKeysOf(queuePrefix)
  return {
    wait = queuePrefix .. "wait", meta = queuePrefix .. "meta", id = queuePrefix .. "id",
    delayed = queuePrefix .. "delayed", prioritized = queuePrefix .. "prioritized", pc = queuePrefix .. "pc",
    active = queuePrefix .. "active", events = queuePrefix .. "events", marker = queuePrefix .. "marker",
    waitingChildren = queuePrefix .. "waiting-children"
  }
end

-- Writes the job hash and emits `added`. `link` is nil or {parentKey, parentJson} for a flow child.
local function storeNewJob(k, jobKey, jobId, name, data, opts, timestamp, delay, priority, link)
  if link then
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", opts, "timestamp", timestamp, "delay", delay,
      "priority", priority, "parentKey", link[1], "parent", link[2])
  else
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", opts, "timestamp", timestamp, "delay", delay,
      "priority", priority)
  end
  emit(k.events, "added", "jobId", jobId, "name", name)
end

-- Puts a stored job where it starts: waiting-children for a flow parent (its own delay and priority apply when
-- its children have settled), else delayed, prioritized or wait (the front with lifo). Returns the state it
-- took; the caller writes the marker ("delayed" needs the delay marker, the runnable states the ready marker).
local function placeNewJob(k, maxLen, jobId, timestamp, delay, priority, lifo, waitsForChildren)
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
  if priority > 0 then
    addToPrioritized(k.prioritized, k.pc, jobId, priority)
    emitCapped(k.events, maxLen, "waiting", "jobId", jobId)
    return "prioritized"
  end
  pushToWait(k.wait, jobId, lifo)
  emitCapped(k.events, maxLen, "waiting", "jobId", jobId)
  return "waiting"
end
