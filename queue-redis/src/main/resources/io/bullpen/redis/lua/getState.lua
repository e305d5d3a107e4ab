--[[
  The state of one job, checked in BullMQ's order.

  KEYS[1] completed  KEYS[2] failed  KEYS[3] delayed  KEYS[4] prioritized  KEYS[5] active
  KEYS[6] wait       KEYS[7] paused (legacy v5 list)  KEYS[8] waiting-children
  ARGV[1] job id

  Returns the state name: completed, failed, delayed, prioritized, active, waiting (also for a routed job in its
  group's or capability's list), waiting-children or unknown.
]]
--@include state

return jobStateIn({
  completed = KEYS[1], failed = KEYS[2], delayed = KEYS[3], prioritized = KEYS[4], active = KEYS[5],
  wait = KEYS[6], paused = KEYS[7], waitingChildren = KEYS[8]
}, ARGV[1])
