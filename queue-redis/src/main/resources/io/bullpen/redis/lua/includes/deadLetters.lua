-- Dead letters (Bullpen's extension): when a queue names a dead-letter queue in `bp:config` field `dlq`, a job
-- that fails for good is copied there, into the dead-letter queue's `failed` set, with its hash (data, opts,
-- attempts, stack traces), its log and the fields dlsrc (source queue "<prefix>:<queue>"), dlid (source job id),
-- dlreason and dlat (ms). Cancelled jobs are not dead-lettered. Needs: events.

local function deadLetterQueuePrefix(keyPrefix)
  local dlq = redis.call("HGET", keyPrefix .. "bp:config", "dlq")
  if not dlq then
    return nil
  end
  return string.match(keyPrefix, "^([^:]+:)") .. dlq .. ":"
end

-- Copies the finally failed job at jobKey to the dead-letter queue, if one is set. Returns the copy's id or nil.
local function deadLetterJob(keyPrefix, jobId, jobKey, reason, now)
  local dlqPrefix = deadLetterQueuePrefix(keyPrefix)
  if not dlqPrefix then
    return nil
  end
  local cancel = redis.call("HGET", jobKey, "bpcancel")
  if cancel and cancel ~= "" then
    return nil
  end
  local copyId = string.format("%d", redis.call("INCR", dlqPrefix .. "id"))
  local copyKey = dlqPrefix .. copyId
  local fields = redis.call("HGETALL", jobKey)
  if #fields > 0 then
    redis.call("HSET", copyKey, unpack(fields))
  end
  local source = string.sub(keyPrefix, 1, -2)
  redis.call("HSET", copyKey, "failedReason", reason, "finishedOn", now, "dlsrc", source, "dlid", jobId,
    "dlreason", reason, "dlat", now)
  redis.call("HDEL", copyKey, "parentKey", "parent", "deid", "rjk", "defa")
  local logs = redis.call("LRANGE", jobKey .. ":logs", 0, -1)
  for i = 1, #logs, 1000 do
    redis.call("RPUSH", copyKey .. ":logs", unpack(logs, i, math.min(i + 999, #logs)))
  end
  redis.call("ZADD", dlqPrefix .. "failed", now, copyId)
  emit(dlqPrefix .. "events", "added", "jobId", copyId, "name", redis.call("HGET", jobKey, "name") or "")
  emit(keyPrefix .. "events", "dead-lettered", "jobId", jobId, "deadLetterQueue",
    string.sub(dlqPrefix, 1, -2), "deadLetterJobId", copyId)
  return copyId
end
