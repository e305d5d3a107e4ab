--[[
  Appends a batch of lines to a job's log in order, keeping only the newest `keepLogs` lines when that is given
  (a worker's buffered job.log).

  KEYS[1] job key  KEYS[2] job logs key
  ARGV[1] keepLogs, or "" to keep every line
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
if ARGV[1] ~= "" then
  local keep = tonumber(ARGV[1])
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
