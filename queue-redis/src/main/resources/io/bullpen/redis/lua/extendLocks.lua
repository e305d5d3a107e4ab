-- extendLocks: renews the locks of a worker's active jobs in one call. A lock is renewed only while it still
-- holds the given token; a renewed job is dropped from the `stalled` snapshot.
-- KEYS: 1 stalled
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 lockDuration ms, 3.. job id, token pairs
-- Returns the ids whose lock was missing or held by another token.

local stalledKey = KEYS[1]
local keyPrefix, duration = ARGV[1], ARGV[2]
local lost = {}
for i = 3, #ARGV - 1, 2 do
  local jobId, token = ARGV[i], ARGV[i + 1]
  local lockKey = keyPrefix .. jobId .. ":lock"
  if redis.call("GET", lockKey) == token then
    redis.call("SET", lockKey, token, "PX", duration)
    redis.call("SREM", stalledKey, jobId)
  else
    lost[#lost + 1] = jobId
  end
end
return lost
