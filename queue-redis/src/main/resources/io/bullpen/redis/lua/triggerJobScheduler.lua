-- triggerJobScheduler: an extra run of a job scheduler right now, from its template, without touching its
-- schedule. The run is an ordinary job with the next counter id (it is not an iteration, so it produces none).
-- KEYS: 1 repeat, 2 wait, 3 active, 4 prioritized, 5 pc, 6 delayed, 7 meta, 8 events, 9 marker, 10 id
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2 scheduler id, 3 now ms
-- Returns {job id, job fields (flat HGETALL)...}, or -1 when there is no such scheduler.
--@include events
--@include placement
--@include schedulers

local q = schedulerQueueKeys()
local keyPrefix, schedulerId = ARGV[1], ARGV[2]
if not redis.call("ZSCORE", q.repeatKey, schedulerId) then
  return -1
end
local stored = redis.call("HMGET", q.repeatKey .. ":" .. schedulerId, "name", "data", "opts")
local optsJson = stored[3] or "{}"
local ok, opts = pcall(cjson.decode, optsJson)
if not ok or type(opts) ~= "table" then
  opts = {}
end
local priority = tonumber(opts["priority"]) or 0
local lifo = opts["lifo"] == true
local jobId = tostring(redis.call("INCR", q.id))
storeSchedulerJob(q, keyPrefix, jobId, stored[1] or schedulerId, stored[2] or "{}", optsJson, ARGV[3], 0, priority,
  lifo, nil, eventsMaxLen(q.meta))
local reply = {jobId}
for _, value in ipairs(redis.call("HGETALL", keyPrefix .. jobId)) do
  reply[#reply + 1] = value
end
return reply
