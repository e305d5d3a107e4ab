--[[
  Appends a batch of lines to a job's log in order, keeping only the newest `keepLogs` lines when that is given
  (a worker's buffered job.log).

  KEYS[1] job key  KEYS[2] job logs key
  ARGV[1] keepLogs, or "" (or "0") to keep every line
  ARGV[2..] the lines

  Returns the number of lines now kept, or -1 when the job does not exist.
]]

if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
local count = 0
for i = 2, #ARGV, 1000 do
  count = redis.call("RPUSH", KEYS[2], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
-- As BullMQ: 0 means no limit, like an empty value.
local keep = tonumber(ARGV[1])
if keep and keep > 0 and count > keep then
  redis.call("LTRIM", KEYS[2], -keep, -1)
  count = keep
end
return count
