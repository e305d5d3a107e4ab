-- Job schedulers (BullMQ 6 layout): the `repeat` zset scores each scheduler id with the millis of its current
-- iteration, the hash `repeat:<id>` holds its definition, and each iteration is a job "repeat:<id>:<millis>".
-- Helpers to place a job made from a scheduler's template. Needs: events, placement, and a queue table `q` with
-- wait, active, prioritized, pc, delayed, meta, events, marker.

local function iterationId(schedulerId, millis)
  return "repeat:" .. schedulerId .. ":" .. string.format("%.0f", millis)
end

-- The opts JSON object given as text, with jobId and delay appended (the caller leaves both out).
local function optsWithIdAndDelay(optsJson, jobId, delay)
  local body = string.match(optsJson, "^%s*(.-)%s*}%s*$")
  local separator = string.match(body, "^{%s*$") and "" or ","
  return body .. separator .. '"jobId":' .. cjson.encode(jobId) .. ',"delay":' .. string.format("%.0f", delay) .. "}"
end

-- Stores the job and places it: delayed when delay > 0 (due = timestamp + delay), else prioritized or wait.
-- Emits `added`, then `delayed` or `waiting`, as BullMQ's add does. schedulerId is written as `rjk` (nil for a
-- job that is not an iteration).
local function storeSchedulerJob(q, keyPrefix, jobId, name, data, optsJson, timestamp, delay, priority, lifo,
    schedulerId, maxLen)
  local jobKey = keyPrefix .. jobId
  if schedulerId then
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", optsJson, "timestamp", timestamp,
      "delay", delay, "priority", priority, "rjk", schedulerId)
  else
    redis.call("HSET", jobKey, "name", name, "data", data, "opts", optsJson, "timestamp", timestamp,
      "delay", delay, "priority", priority)
  end
  emit(q.events, "added", "jobId", jobId, "name", name)
  if delay > 0 then
    local due = tonumber(timestamp) + delay
    addToDelayed(q.delayed, jobId, due)
    emitCapped(q.events, maxLen, "delayed", "jobId", jobId, "delay", string.format("%.0f", due))
    updateDelayMarker(q.marker, q.delayed)
  else
    if priority > 0 then
      addToPrioritized(q.prioritized, q.pc, jobId, priority)
    else
      pushToWait(q.wait, jobId, lifo)
    end
    if not isPausedOrMaxed(q.meta, q.active) then
      addReadyMarker(q.marker)
    end
    emitCapped(q.events, maxLen, "waiting", "jobId", jobId)
  end
end

-- The ten keys of the scheduler scripts, in this order: repeat, wait, active, prioritized, pc, delayed, meta,
-- events, marker, id.
local function schedulerQueueKeys()
  return {
    repeatKey = KEYS[1], wait = KEYS[2], active = KEYS[3], prioritized = KEYS[4], pc = KEYS[5], delayed = KEYS[6],
    meta = KEYS[7], events = KEYS[8], marker = KEYS[9], id = KEYS[10]
  }
end
