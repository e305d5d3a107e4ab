--[[
  Appends a line to a job's log, keeping only the newest `keepLogs` lines when that is given.

  KEYS[1] job key  KEYS[2] job logs key
  ARGV[1] the line
  ARGV[2] keepLogs, or "" to keep every line

  Returns the number of lines now kept, or -1 when the job does not exist.
]]

if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
local count = redis.call("RPUSH", KEYS[2], ARGV[1])
if ARGV[2] ~= "" then
  local keep = tonumber(ARGV[2])
  if keep == 0 then
    redis.call("DEL", KEYS[2])
    return 0
  end
  if count > keep then
    redis.call("LTRIM", KEYS[2], -keep, -1)
    count = keep
  end
end
return count
