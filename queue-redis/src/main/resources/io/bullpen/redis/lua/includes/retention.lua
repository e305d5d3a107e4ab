-- Deleting finished jobs: a job's hash with its sub-keys, and the keep policies (removeOnComplete /
-- removeOnFail) applied to the completed and failed sets when another job finishes into them.

local function removeJobKeys(jobKey)
  redis.call("DEL", jobKey, jobKey .. ":logs", jobKey .. ":dependencies", jobKey .. ":processed",
    jobKey .. ":failed", jobKey .. ":unsuccessful")
end

-- Deletes jobs of a finished set whose score (finishedOn) is at or before `cutoff`, at most `limit`.
local function evictFinishedBefore(setKey, keyPrefix, cutoff, limit)
  local ids = redis.call("ZRANGEBYSCORE", setKey, "-inf", cutoff, "LIMIT", 0, limit)
  for _, id in ipairs(ids) do
    removeJobKeys(keyPrefix .. id)
    redis.call("ZREM", setKey, id)
  end
end

-- Deletes every job of a finished set but the newest `count`.
local function evictAllButNewest(setKey, keyPrefix, count)
  local ids = redis.call("ZREVRANGE", setKey, count, -1)
  if #ids == 0 then
    return
  end
  for _, id in ipairs(ids) do
    removeJobKeys(keyPrefix .. id)
  end
  redis.call("ZREMRANGEBYRANK", setKey, 0, -(count + 1))
end

-- The deduplication key `de:<id>` goes when its owner finishes: always once its ttl ran out, and when it has
-- no ttl only while it still names this job.
local function releaseDeduplicationKey(jobKey, jobId, keyPrefix)
  local dedupId = redis.call("HGET", jobKey, "deid")
  if not dedupId then
    return
  end
  local dedupKey = keyPrefix .. "de:" .. dedupId
  local ttl = redis.call("PTTL", dedupKey)
  if ttl == 0 or (ttl == -1 and redis.call("GET", dedupKey) == jobId) then
    redis.call("DEL", dedupKey)
  end
end
