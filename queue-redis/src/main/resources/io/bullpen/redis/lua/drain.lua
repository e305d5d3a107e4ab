--[[
  Deletes every job that has not started: wait, the legacy paused list, prioritized and optionally delayed.
  A job scheduler's pending iteration is kept. No events, and the priority counter `pc` and the marker stay
  as they are (as BullMQ).

  KEYS[1] wait  KEYS[2] paused  KEYS[3] prioritized  KEYS[4] delayed
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] "1" to drain delayed jobs too

  Returns the number of jobs deleted.
]]
--@include events
--@include placement
--@include jobs

local keyPrefix = ARGV[1]
local deleted = 0

local function drainList(listKey)
  local kept = {}
  for _, jobId in ipairs(redis.call("LRANGE", listKey, 0, -1)) do
    if isCurrentSchedulerIteration(keyPrefix, jobId) then
      kept[#kept + 1] = jobId
    else
      deleteJobHard(keyPrefix, jobId)
      deleted = deleted + 1
    end
  end
  -- Kept ids go back in their original order (LRANGE reads left to right; RPUSH restores it).
  redis.call("DEL", listKey)
  for _, jobId in ipairs(kept) do
    redis.call("RPUSH", listKey, jobId)
  end
end

local function drainZset(zsetKey)
  for _, jobId in ipairs(redis.call("ZRANGE", zsetKey, 0, -1)) do
    if not isCurrentSchedulerIteration(keyPrefix, jobId) then
      redis.call("ZREM", zsetKey, jobId)
      deleteJobHard(keyPrefix, jobId)
      deleted = deleted + 1
    end
  end
end

drainList(KEYS[1])
drainList(KEYS[2])
drainZset(KEYS[3])
if ARGV[2] == "1" then
  drainZset(KEYS[4])
end
return deleted
