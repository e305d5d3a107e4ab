--[[
  Appends a line to a job's log, keeping only the newest `keepLogs` lines when that is given.

  KEYS[1] job key  KEYS[2] job logs key
  ARGV[1] the line
  ARGV[2] keepLogs, or "" (or "0") to keep every line

  Returns the number of lines now kept, or -1 when the job does not exist.
]]

if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
local count = redis.call("RPUSH", KEYS[2], ARGV[1])
-- As BullMQ: 0 means no limit, like an empty value.
local keep = tonumber(ARGV[2])
if keep and keep > 0 and count > keep then
  redis.call("LTRIM", KEYS[2], -keep, -1)
  count = keep
end
return count
