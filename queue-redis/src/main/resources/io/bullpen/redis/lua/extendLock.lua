--[[
  Extends a job's lock when it is still held with the caller's token.

  KEYS[1] job lock key  KEYS[2] stalled
  ARGV[1] token
  ARGV[2] duration ms
  ARGV[3] job id

  Returns 1 when extended, -2 when the lock is missing, -6 when another token holds it.
]]

local current = redis.call("GET", KEYS[1])
if not current then
  return -2
end
if current ~= ARGV[1] then
  return -6
end
redis.call("SET", KEYS[1], ARGV[1], "PX", ARGV[2])
redis.call("SREM", KEYS[2], ARGV[3])
return 1
