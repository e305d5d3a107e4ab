-- Whether a job has finished, and with what, read in one step so the answer is consistent
-- (used by QueueEvents.waitUntilFinished after it has registered its listener).
-- KEYS[1] completed zset
-- KEYS[2] failed zset
-- KEYS[3] the job hash
-- ARGV[1] job id
-- Returns {"completed", returnvalue JSON ("null" when the hash has none)},
--         {"failed", failedReason ("" when the hash has none)},
--         or an empty list when the job is in neither set.

local jobId = ARGV[1]

if redis.call("ZSCORE", KEYS[1], jobId) then
  local value = redis.call("HGET", KEYS[3], "returnvalue")
  return {"completed", value or "null"}
end

if redis.call("ZSCORE", KEYS[2], jobId) then
  local reason = redis.call("HGET", KEYS[3], "failedReason")
  return {"failed", reason or ""}
end

return {}
