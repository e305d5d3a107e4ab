--[[
  Removes one job (Queue.remove / Job.remove) and, recursively, its children in any queue: from whichever
  state holds it, with its per-job keys and owned deduplication keys. A parent waiting for it is released when
  it was the last pending child. Emits `removed` (jobId, prev state) on each deleted job's queue.

  KEYS[1] job key
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] job id

  Returns 1 when removed, 0 when it does not exist, -8 when it is a job scheduler's pending iteration,
  {-2, lockedJobKey} when the job or one of its descendants is locked by a worker (nothing removed).
]]
--@include events
--@include placement
--@include jobs

local keyPrefix = ARGV[1]
local jobId = ARGV[2]

local function findLocked(jobKey)
  if redis.call("EXISTS", jobKey .. ":lock") == 1 then
    return jobKey
  end
  for _, child in ipairs(childKeysOf(jobKey)) do
    local locked = findLocked(child)
    if locked then
      return locked
    end
  end
  return nil
end

local function removeDeep(jobKey)
  local queuePrefix, id = splitJobKey(jobKey)
  if not queuePrefix or redis.call("EXISTS", jobKey) == 0 then
    return
  end
  for _, child in ipairs(childKeysOf(jobKey)) do
    removeDeep(child)
  end
  local prev = takeOutOfState(queuePrefix, id)
  releaseDedupKey(queuePrefix, id, jobKey)
  deleteJobKeys(jobKey)
  emitCapped(queuePrefix .. "events", eventsMaxLen(queuePrefix .. "meta"), "removed", "jobId", id, "prev", prev)
end

local jobKey = KEYS[1]
if redis.call("EXISTS", jobKey) == 0 then
  return 0
end
if isCurrentSchedulerIteration(keyPrefix, jobId) then
  return -8
end
local locked = findLocked(jobKey)
if locked then
  return {-2, locked}
end
-- The root alone is unlinked from its parent: the children go with it, so their links go too.
unlinkFromParent(jobKey, nil)
removeDeep(jobKey)
return 1
