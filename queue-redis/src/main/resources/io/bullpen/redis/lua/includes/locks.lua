-- Job lock checks shared by every script that moves a job out of `active`.

-- Job hash field naming the lock token whose move last took the job out of `active` (a Bullpen extension that
-- BullMQ readers ignore). A worker whose reply was lost sends its move again; finding its own token here, the
-- second call reports -11 ("done already") instead of a lost lock.
local SETTLED_BY_FIELD = "bpsettled"

-- The code for a lock that is gone because `token` itself released it: -11 when this token's move already ran,
-- else -2 (the lock expired or was never held).
local function missingLockCode(jobKey, token, settledBy)
  if settledBy == nil then
    settledBy = redis.call("HGET", jobKey, SETTLED_BY_FIELD)
  end
  if settledBy == token then
    return -11
  end
  return -2
end

-- Releases the lock of jobId if `token` holds it, forgets the job in the `stalled` snapshot and records the token
-- as the one that settled the job. Returns 0 on success, -2 when there is no lock, -11 when this token released it
-- before (the same move sent twice), -6 when another token holds it. Token "0" skips the check.
local function releaseOwnedLock(jobKey, jobId, token, stalledKey)
  if token == "0" then
    return 0
  end
  local lockKey = jobKey .. ":lock"
  local holder = redis.call("GET", lockKey)
  if holder == token then
    redis.call("DEL", lockKey)
    redis.call("SREM", stalledKey, jobId)
    redis.call("HSET", jobKey, SETTLED_BY_FIELD, token)
    return 0
  end
  if holder then
    return -6
  end
  return missingLockCode(jobKey, token)
end

-- Writes a flat list of field/value pairs taken from ARGV, starting at index `first`.
local function writeExtraFields(jobKey, first)
  if #ARGV >= first + 1 then
    redis.call("HSET", jobKey, unpack(ARGV, first, #ARGV))
  end
end
