--[[
  The state of one job, checked in BullMQ's order.

  KEYS[1] completed  KEYS[2] failed  KEYS[3] delayed  KEYS[4] prioritized  KEYS[5] active
  KEYS[6] wait       KEYS[7] paused (legacy v5 list)  KEYS[8] waiting-children
  ARGV[1] job id

  Returns the state name: completed, failed, delayed, prioritized, active, waiting (also for a routed job in its
  group's or capability's list), waiting-children or unknown.
]]
--@include events
--@include placement
--@include jobs

local jobId = ARGV[1]
if redis.call("ZSCORE", KEYS[1], jobId) then
  return "completed"
end
if redis.call("ZSCORE", KEYS[2], jobId) then
  return "failed"
end
if redis.call("ZSCORE", KEYS[3], jobId) then
  return "delayed"
end
if redis.call("ZSCORE", KEYS[4], jobId) then
  return "prioritized"
end
if listContains(KEYS[5], jobId) then
  return "active"
end
if listContains(KEYS[6], jobId) or listContains(KEYS[7], jobId) then
  return "waiting"
end
if redis.call("ZSCORE", KEYS[8], jobId) then
  return "waiting-children"
end
-- A routed job (Bullpen groups and capabilities) waits in its own list.
local queuePrefix = string.sub(KEYS[6], 1, -5)
local route = redis.call("HMGET", queuePrefix .. jobId, "bpg", "bpcap")
if route[1] and listContains(queuePrefix .. "bp:g:" .. route[1] .. ":wait", jobId) then
  return "waiting"
end
if route[2] and listContains(queuePrefix .. "bp:cap:" .. route[2] .. ":wait", jobId) then
  return "waiting"
end
return "unknown"
