-- Job lock checks shared by every script that moves a job out of `active`.

-- Job hash field naming the lock token and attempt (`ats`) of the move that last took the job out of `active`
-- (a Bullpen extension that BullMQ readers ignore). A worker whose reply was lost sends its move again; finding
-- its own token and the same attempt here, the second call reports -11 ("done already") instead of a lost lock.
-- The attempt tells a repeat apart from a late call of an owner that reuses its token (a lease owner) for an
-- attempt that expired and was recovered meanwhile.
local SETTLED_BY_FIELD = "bpsettled"

local function settledByValue(token, attemptsStarted)
  return token .. ":" .. (attemptsStarted or "0")
end

-- Records `token` as the one that moved the job out of active in its current attempt.
local function recordSettledBy(jobKey, token, attemptsStarted)
  if attemptsStarted == nil then
    attemptsStarted = redis.call("HGET", jobKey, "ats") or nil
  end
  redis.call("HSET", jobKey, SETTLED_BY_FIELD, settledByValue(token, attemptsStarted))
end

-- The code for a lock that is gone: -11 when `token` itself released it in the job's current attempt (the same
-- move sent twice), else -2 (the lock expired or was never held).
local function missingLockCode(jobKey, token)
  local seen = redis.call("HMGET", jobKey, SETTLED_BY_FIELD, "ats")
  if seen[1] and seen[1] == settledByValue(token, seen[2] or nil) then
    return -11
  end
  return -2
end

-- Releases the lock of jobId if `token` holds it, forgets the job in the `stalled` snapshot and records the token
-- as the one that settled the job. Returns 0 on success, -2 when there is no lock, -11 when this token released it
-- before in this attempt, -6 when another token holds it. Token "0" skips the check.
local function releaseOwnedLock(jobKey, jobId, token, stalledKey)
  if token == "0" then
    return 0
  end
  local lockKey = jobKey .. ":lock"
  local holder = redis.call("GET", lockKey)
  if holder == token then
    redis.call("DEL", lockKey)
    redis.call("SREM", stalledKey, jobId)
    recordSettledBy(jobKey, token)
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
