--[[
  Pauses a queue, BullMQ 6 style: jobs stay where they are; the meta flag stops workers fetching.

  KEYS[1] meta  KEYS[2] marker  KEYS[3] events
  ARGV: none

  Returns 0.
]]
--@include events

redis.call("HSET", KEYS[1], "paused", 1)
redis.call("DEL", KEYS[2])
emit(KEYS[3], "paused")
return 0
