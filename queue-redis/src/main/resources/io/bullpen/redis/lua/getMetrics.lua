--[[
  BullMQ's per-minute metrics of one kind of finished job (Queue.getMetrics), read atomically.

  KEYS[1] metrics hash (metrics:completed or metrics:failed)
  KEYS[2] its data list (…:data)
  ARGV[1] start (>= 0)
  ARGV[2] end (>= start, or -1 for the last)

  Returns {count, prevTS, prevCount, {points...}, number of points}, absent values as "".
]]

local meta = redis.call("HMGET", KEYS[1], "count", "prevTS", "prevCount")
local points = redis.call("LRANGE", KEYS[2], tonumber(ARGV[1]), tonumber(ARGV[2]))
return {meta[1] or "", meta[2] or "", meta[3] or "", points, redis.call("LLEN", KEYS[2])}
