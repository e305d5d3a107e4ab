--[[
  A page of a job's log lines and the total count, read atomically.

  KEYS[1] job logs key
  ARGV[1] start (>= 0)
  ARGV[2] end (>= start, or -1 for the last)
  ARGV[3] "1" for ascending order (oldest first)

  Returns {total count, {lines...}}.
]]

local first = tonumber(ARGV[1])
local last = tonumber(ARGV[2])
local count = redis.call("LLEN", KEYS[1])
local lines
if ARGV[3] == "1" then
  lines = redis.call("LRANGE", KEYS[1], first, last)
else
  local newestFirst = redis.call("LRANGE", KEYS[1], -1 - last, -1 - first)
  lines = {}
  for i = #newestFirst, 1, -1 do
    lines[#lines + 1] = newestFirst[i]
  end
end
return {count, lines}
