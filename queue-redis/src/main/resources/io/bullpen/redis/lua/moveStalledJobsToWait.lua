-- moveStalledJobsToWait: the stalled-job check, run by every worker each stalledInterval and guarded so one
-- runs per interval per queue. Jobs that were active at the previous check and whose lock has since expired
-- go back to the front of wait with `stc` incremented; past maxStalledCount they get `defa` so the next
-- worker fails them. Then the current active list becomes the snapshot for the next check.
-- KEYS: 1 wait, 2 active, 3 prioritized, 4 events, 5 stalled, 6 limiter, 7 delayed, 8 meta, 9 pc, 10 marker,
--       11 stalled-check, 12 repeat
-- ARGV: 1 maxStalledCount, 2 key prefix "<prefix>:<queue>:", 3 timestamp ms, 4 stalledInterval ms
-- Returns the ids moved back to wait (empty when another worker ran the check within the interval).
--@include workerKeys
--@include events
--@include placement
--@include routing

local q = workerQueueKeys()
local stalledCheckKey, repeatKey = KEYS[11], KEYS[12]
local maxStalledCount = tonumber(ARGV[1])
local keyPrefix, now, interval = ARGV[2], ARGV[3], ARGV[4]

if redis.call("EXISTS", stalledCheckKey) == 1 then
  return {}
end
redis.call("SET", stalledCheckKey, now, "PX", interval)
trimEvents(q.events, eventsMaxLen(q.meta))

-- An iteration that is its scheduler's current one must keep producing the next one, so it never fails.
local function isLiveSchedulerIteration(jobKey)
  local schedulerId = redis.call("HGET", jobKey, "rjk")
  if not schedulerId then
    return false
  end
  return redis.call("EXISTS", keyPrefix .. "repeat:" .. schedulerId) == 1
    or redis.call("ZSCORE", repeatKey, schedulerId) ~= false
end

local moved = {}
local previous = redis.call("SMEMBERS", q.stalled)
if #previous > 0 then
  redis.call("DEL", q.stalled)
  for _, jobId in ipairs(previous) do
    if string.sub(jobId, 1, 2) == "0:" then
      redis.call("LREM", q.active, 1, jobId)
    else
      local jobKey = keyPrefix .. jobId
      if redis.call("EXISTS", jobKey .. ":lock") == 0 and redis.call("LREM", q.active, 1, jobId) > 0 then
        groupJobLeftActive(keyPrefix, jobKey, jobId, q.marker)
        if redis.call("EXISTS", jobKey) == 1 then
          local stalledCount = redis.call("HINCRBY", jobKey, "stc", 1)
          if stalledCount > maxStalledCount and not isLiveSchedulerIteration(jobKey) then
            redis.call("HSET", jobKey, "defa", "job stalled more than allowable limit")
          end
          pushToWait(q.wait, jobId, true)
          if not isPausedOrMaxed(q.meta, q.active) then
            addReadyMarker(q.marker)
          end
          emit(q.events, "waiting", "jobId", jobId, "prev", "active")
          emit(q.events, "stalled", "jobId", jobId)
          moved[#moved + 1] = jobId
        end
      end
    end
  end
end

local active = redis.call("LRANGE", q.active, 0, -1)
for first = 1, #active, 5000 do
  local last = math.min(first + 4999, #active)
  redis.call("SADD", q.stalled, unpack(active, first, last))
end
return moved
