-- upsertJobScheduler: creates or replaces a job scheduler and its next iteration (BullMQ's upsertJobScheduler).
-- The caller computed the next run from the state it read; if the scheduler's current score changed since, the
-- script does nothing and asks for a retry, so concurrent upserts of one id leave exactly one pending iteration.
-- An iteration that has not started (delayed, prioritized or waiting) is replaced; for an `every` scheduler
-- whose interval is unchanged it keeps its slot. A slot whose iteration id is taken moves on by `every` (at most
-- 32 times); for a pattern that is an error.
-- KEYS: 1 repeat, 2 wait, 3 active, 4 prioritized, 5 pc, 6 delayed, 7 meta, 8 events, 9 marker, 10 id
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 scheduler id, 3 expected current score ("" = no scheduler, "*" = any:
--       a pattern's next run does not depend on the current one),
--       4 next run ms, 5 "1" to keep the current slot when its iteration is replaced, 6 every ms ("" for a pattern),
--       7 now ms, 8 template data JSON, 9 template opts JSON ("" = none), 10 iteration opts JSON without jobId and
--       delay, 11 priority, 12 lifo "1"/"0", 13 offset to store when the iteration is not replaced ("" = keep),
--       14 the user's offset ("" = none), 15.. scheduler fields as name/value pairs (name, tz, limit, pattern,
--       startDate, endDate, every)
-- Returns {iteration id, delay ms, job fields (flat HGETALL)...}; -100 when the score changed (retry); -10 when
-- a pattern iteration id is taken; -11 when 32 `every` slots in a row are taken.
--@include events
--@include placement
--@include jobs
--@include schedulers

local q = schedulerQueueKeys()
local keyPrefix, schedulerId = ARGV[1], ARGV[2]
local schedulerKey = q.repeatKey .. ":" .. schedulerId
local score = redis.call("ZSCORE", q.repeatKey, schedulerId)
local expected = ARGV[3]
if expected ~= "*" and ((expected == "" and score) or (expected ~= "" and (not score or tonumber(score) ~= tonumber(expected)))) then
  return -100
end
local maxLen = eventsMaxLen(q.meta)
local nextMillis = tonumber(ARGV[4])
local every = tonumber(ARGV[6])
local now = tonumber(ARGV[7])

local function removeIfNotStarted(jobId)
  if redis.call("ZREM", q.delayed, jobId) == 0 and redis.call("ZREM", q.prioritized, jobId) == 0
      and redis.call("LREM", q.wait, 1, jobId) == 0 then
    return false
  end
  deleteJobHard(keyPrefix, jobId, now)
  return true
end

local replaced = false
if score then
  local currentId = iterationId(schedulerId, tonumber(score))
  if redis.call("EXISTS", keyPrefix .. currentId) == 1 then
    replaced = removeIfNotStarted(currentId)
  end
end
if replaced and ARGV[5] == "1" then
  nextMillis = tonumber(score)
end

local jobId = iterationId(schedulerId, nextMillis)
if redis.call("EXISTS", keyPrefix .. jobId) == 1 then
  if not every then
    return -10
  end
  local scanned = 0
  repeat
    nextMillis = nextMillis + every
    jobId = iterationId(schedulerId, nextMillis)
    scanned = scanned + 1
  until redis.call("EXISTS", keyPrefix .. jobId) == 0 or scanned >= 32
  if redis.call("EXISTS", keyPrefix .. jobId) == 1 then
    return -11
  end
end

-- The definition is rewritten; the iteration count and a stored offset carry over.
local previous = redis.call("HMGET", schedulerKey, "ic", "offset")
local fields = {}
for i = 15, #ARGV do
  fields[#fields + 1] = ARGV[i]
end
local offset = replaced and ARGV[14] or ARGV[13]
if offset == "" then
  offset = previous[2]
end
if offset then
  fields[#fields + 1] = "offset"
  fields[#fields + 1] = offset
end
if ARGV[9] ~= "" and ARGV[9] ~= "{}" then
  fields[#fields + 1] = "opts"
  fields[#fields + 1] = ARGV[9]
end
if ARGV[8] ~= "{}" then
  fields[#fields + 1] = "data"
  fields[#fields + 1] = ARGV[8]
end
fields[#fields + 1] = "ic"
fields[#fields + 1] = previous[1] or 1
redis.call("DEL", schedulerKey)
redis.call("HSET", schedulerKey, unpack(fields))
redis.call("ZADD", q.repeatKey, string.format("%.0f", nextMillis), schedulerId)
redis.call("INCR", q.id)

local delay = math.max(0, nextMillis - now)
storeSchedulerJob(q, keyPrefix, jobId, ARGV[16], ARGV[8], optsWithIdAndDelay(ARGV[10], jobId, delay), ARGV[7], delay,
  tonumber(ARGV[11]), ARGV[12] == "1", schedulerId, maxLen)
local reply = {jobId, delay}
for _, value in ipairs(redis.call("HGETALL", keyPrefix .. jobId)) do
  reply[#reply + 1] = value
end
return reply
