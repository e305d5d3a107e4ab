-- getRateLimitTtl: how long the queue's rate limit still holds workers back (BullMQ's getRateLimitTtl).
-- KEYS: 1 limiter, 2 meta
-- ARGV: 1 max jobs per window to judge by, or "" to use meta `max`
-- Returns the remaining window in ms when the `limiter` counter has reached max jobs; with no max known, the
-- plain PTTL of `limiter` (-2 absent, -1 no expiry); else 0.

local maxJobs = tonumber(ARGV[1])
if not maxJobs then
  maxJobs = tonumber(redis.call("HGET", KEYS[2], "max"))
end
if not maxJobs then
  return redis.call("PTTL", KEYS[1])
end
local started = tonumber(redis.call("GET", KEYS[1]))
if started and started >= maxJobs then
  local ttl = redis.call("PTTL", KEYS[1])
  if ttl > 0 then
    return ttl
  end
end
return 0
