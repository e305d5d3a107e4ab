--[[
  Moves a failed or completed job back to wait (Job.retry): clears finishedOn, processedOn and the result
  field, pushes it to wait (front with lifo), and puts a flow child back among its parent's pending
  dependencies. Attempt counters are kept.

  KEYS[1] job key  KEYS[2] events  KEYS[3] failed  KEYS[4] completed  KEYS[5] wait  KEYS[6] meta
  KEYS[7] active   KEYS[8] marker
  ARGV[1] job id

  Returns the previous state name ("failed" or "completed"), -1 when the job does not exist, -3 when it is
  neither failed nor completed.
]]
--@include events
--@include placement

local jobId = ARGV[1]
local jobKey = KEYS[1]
if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
local prev
local resultField
if redis.call("ZREM", KEYS[3], jobId) == 1 then
  prev = "failed"
  resultField = "failedReason"
elseif redis.call("ZREM", KEYS[4], jobId) == 1 then
  prev = "completed"
  resultField = "returnvalue"
else
  return -3
end
redis.call("HDEL", jobKey, "finishedOn", "processedOn", resultField)

local lifo = false
local opts = redis.call("HGET", jobKey, "opts")
if opts then
  local ok, decoded = pcall(cjson.decode, opts)
  lifo = ok and type(decoded) == "table" and decoded["lifo"] == true
end
pushToWait(KEYS[5], jobId, lifo)

local parentKey = redis.call("HGET", jobKey, "parentKey")
if parentKey and redis.call("EXISTS", parentKey) == 1 then
  redis.call("SADD", parentKey .. ":dependencies", jobKey)
  redis.call("HDEL", parentKey .. ":processed", jobKey)
  redis.call("HDEL", parentKey .. ":failed", jobKey)
  redis.call("ZREM", parentKey .. ":unsuccessful", jobKey)
end

if not isPausedOrMaxed(KEYS[6], KEYS[7]) then
  addReadyMarker(KEYS[8])
end
emitCapped(KEYS[2], eventsMaxLen(KEYS[6]), "waiting", "jobId", jobId, "prev", prev)
return prev
