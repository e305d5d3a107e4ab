--[[
  A processor parks its running job until its children settle (BullMQ's moveToWaitingChildren): the job leaves
  active for waiting-children when a child is pending, and is released from there like any flow parent.

  KEYS[1] active  KEYS[2] waiting-children  KEYS[3] stalled  KEYS[4] events  KEYS[5] job key
  ARGV[1] job id
  ARGV[2] lock token the job is held with ("0": no lock check)
  ARGV[3] full key of the one child to wait for, or "" for any pending child
  ARGV[4] timestamp ms

  Returns 0 when moved, 1 when there is nothing to wait for (the job stays active), -1 missing job, -9 a child
  failed with failParentOnFailure, -2 missing lock, -11 already moved with this token, -6 lock held by another token, -3 not active.
]]
--@include events
--@include locks

local activeKey, waitingChildrenKey, stalledKey, eventsKey, jobKey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local jobId, token, childKey, now = ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4])

if redis.call("EXISTS", jobKey) == 0 then
  return -1
end
if redis.call("ZCARD", jobKey .. ":unsuccessful") > 0 then
  return -9
end
local pending
if childKey ~= "" then
  pending = redis.call("SISMEMBER", jobKey .. ":dependencies", childKey) == 1
else
  pending = redis.call("SCARD", jobKey .. ":dependencies") > 0
end
if not pending then
  return 1
end
local lockResult = releaseOwnedLock(jobKey, jobId, token, stalledKey)
if lockResult ~= 0 then
  return lockResult
end
if redis.call("LREM", activeKey, -1, jobId) == 0 then
  return -3
end
redis.call("ZADD", waitingChildrenKey, now, jobId)
emit(eventsKey, "waiting-children", "jobId", jobId, "prev", "active")
return 0
