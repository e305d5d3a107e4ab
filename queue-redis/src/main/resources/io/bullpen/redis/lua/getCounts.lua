--[[
  Job counts per state, read atomically.

  KEYS[1] wait  KEYS[2] paused (legacy v5 list)  KEYS[3] prioritized  KEYS[4] delayed  KEYS[5] active
  KEYS[6] waiting-children  KEYS[7] completed  KEYS[8] failed
  ARGV: state names (waiting, prioritized, delayed, active, waiting-children, completed, failed)

  Returns one count per ARGV entry, in order. `waiting` counts wait plus a legacy paused list.
]]

local zsets = {
  prioritized = KEYS[3], delayed = KEYS[4], ["waiting-children"] = KEYS[6], completed = KEYS[7], failed = KEYS[8]
}
local counts = {}
for i, state in ipairs(ARGV) do
  if state == "waiting" then
    counts[i] = redis.call("LLEN", KEYS[1]) + redis.call("LLEN", KEYS[2])
  elseif state == "active" then
    counts[i] = redis.call("LLEN", KEYS[5])
  else
    counts[i] = redis.call("ZCARD", zsets[state])
  end
end
return counts
