--[[
  One batch of Queue.obliterate: deletes the keys one SCAN step finds under the queue's prefix. The caller
  pauses the queue first and repeats with the returned cursor until it is "0"; meta goes last, so a resume in
  between is noticed.

  KEYS[1] meta  KEYS[2] active
  ARGV[1] SCAN MATCH pattern: the glob-escaped key prefix followed by *
  ARGV[2] SCAN cursor ("0" on the first call)
  ARGV[3] SCAN COUNT
  ARGV[4] "1" to delete even when jobs are active

  Returns {0, nextCursor} after a batch ("0" when everything is gone), {-1} when the queue is not paused,
  {-2, jobId} when a job is active and force was not given (nothing deleted).
]]

if redis.call("HEXISTS", KEYS[1], "paused") == 0 then
  return {-1}
end
if ARGV[4] ~= "1" then
  local activeId = redis.call("LINDEX", KEYS[2], -1)
  if activeId then
    return {-2, activeId}
  end
end

local reply = redis.call("SCAN", ARGV[2], "MATCH", ARGV[1], "COUNT", tonumber(ARGV[3]))
local batch = {}
for _, key in ipairs(reply[2]) do
  if key ~= KEYS[1] then
    batch[#batch + 1] = key
  end
end
for i = 1, #batch, 500 do
  redis.call("DEL", unpack(batch, i, math.min(i + 499, #batch)))
end
if reply[1] == "0" then
  redis.call("DEL", KEYS[1])
end
return {0, reply[1]}
