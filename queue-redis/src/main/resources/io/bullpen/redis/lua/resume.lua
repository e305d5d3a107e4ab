--[[
  Resumes a paused queue. A `paused` list left by a BullMQ 5 writer is moved into wait without ever
  overwriting ids already in wait (its jobs run after them, in their own order).

  KEYS[1] meta    KEYS[2] wait     KEYS[3] paused  KEYS[4] prioritized
  KEYS[5] delayed KEYS[6] active   KEYS[7] marker  KEYS[8] events
  ARGV: none

  Returns the number of ids moved from the legacy paused list.
]]
--@include events
--@include placement

local moved = 0
if redis.call("EXISTS", KEYS[3]) == 1 then
  if redis.call("EXISTS", KEYS[2]) == 0 then
    moved = redis.call("LLEN", KEYS[3])
    redis.call("RENAME", KEYS[3], KEYS[2])
  else
    while true do
      -- The right end holds the oldest ids; push those first so the relative order survives.
      local ids = redis.call("LRANGE", KEYS[3], -1000, -1)
      if #ids == 0 then
        break
      end
      for i = #ids, 1, -1 do
        redis.call("LPUSH", KEYS[2], ids[i])
      end
      redis.call("LTRIM", KEYS[3], 0, -(#ids + 1))
      moved = moved + #ids
    end
  end
end

redis.call("HDEL", KEYS[1], "paused")
if redis.call("LLEN", KEYS[2]) > 0 or redis.call("ZCARD", KEYS[4]) > 0 then
  if not isPausedOrMaxed(KEYS[1], KEYS[6]) then
    addReadyMarker(KEYS[7])
  end
else
  updateDelayMarker(KEYS[7], KEYS[5])
end
emit(KEYS[8], "resumed")
return moved
