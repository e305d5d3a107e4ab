-- Job lock checks shared by every script that moves a job out of `active`.

-- Releases the lock of jobId if `token` holds it and forgets the job in the `stalled` snapshot.
-- Returns 0 on success, -2 when there is no lock, -6 when another token holds it. Token "0" skips the check.
local function releaseOwnedLock(jobKey, jobId, token, stalledKey)
  if token == "0" then
    return 0
  end
  local lockKey = jobKey .. ":lock"
  local holder = redis.call("GET", lockKey)
  if holder == token then
    redis.call("DEL", lockKey)
    redis.call("SREM", stalledKey, jobId)
    return 0
  end
  if holder then
    return -6
  end
  return -2
end

-- Writes a flat list of field/value pairs taken from ARGV, starting at index `first`.
local function writeExtraFields(jobKey, first)
  if #ARGV >= first + 1 then
    redis.call("HSET", jobKey, unpack(ARGV, first, #ARGV))
  end
end
