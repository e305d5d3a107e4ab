--[[
  Adds one or more jobs in one atomic call (Queue.add and Queue.addBulk), BullMQ 6 layout.

  KEYS[1] wait          KEYS[2] meta     KEYS[3] id       KEYS[4] delayed   KEYS[5] prioritized
  KEYS[6] pc            KEYS[7] active   KEYS[8] events   KEYS[9] marker
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] number of jobs N
  ARGV[3..] N groups of 8 values: custom id or "", name, timestamp ms, data JSON, opts JSON, delay ms,
            priority, lifo "1"/"0"

  Returns one entry per job, in order:
    {jobId, 0}                       the job was stored;
    {jobId, 1, field, value, ...}    a job with that custom id existed: nothing was written, the existing hash
                                     is returned and a `duplicated` event emitted;
    {ownerId, 2, field, value, ...}  the job's deduplication id is owned by job ownerId (opts `de`): nothing was
                                     stored (or it was kept in dn:<id>), the owner's hash is returned.
]]
--@include events
--@include placement
--@include dedup
--@include routing

local keyPrefix = ARGV[1]
local count = tonumber(ARGV[2])
local maxLen = eventsMaxLen(KEYS[2])
-- v6: paused jobs still go to wait; the flag (or global concurrency) only suppresses the ready marker.
local pausedOrMaxed = isPausedOrMaxed(KEYS[2], KEYS[7])
local anyReady = false
local anyDelayed = false
local results = {}

for i = 0, count - 1 do
  local base = 3 + i * 8
  local customId = ARGV[base]
  local name = ARGV[base + 1]
  local timestamp = ARGV[base + 2]
  local delay = tonumber(ARGV[base + 5])
  local priority = tonumber(ARGV[base + 6])

  -- The counter moves on every attempt, duplicates included, as BullMQ's does.
  local counter = redis.call("INCR", KEYS[3])
  local jobId = customId
  if jobId == "" then
    jobId = string.format("%d", counter)
  end
  local jobKey = keyPrefix .. jobId

  if customId ~= "" and redis.call("EXISTS", jobKey) == 1 then
    emitCapped(KEYS[8], maxLen, "duplicated", "jobId", jobId)
    local entry = {jobId, 1}
    local existing = redis.call("HGETALL", jobKey)
    for j = 1, #existing do
      entry[j + 2] = existing[j]
    end
    results[#results + 1] = entry
  else
    local de = dedupOptionsOf(ARGV[base + 4])
    local owner = de and absorbedByDedupOwner(keyPrefix, de, jobId, name, ARGV[base + 3], ARGV[base + 4],
      KEYS[4], KEYS[7], KEYS[8], maxLen)
    if owner then
      local entry = {owner, 2}
      local existing = redis.call("HGETALL", keyPrefix .. owner)
      for j = 1, #existing do
        entry[j + 2] = existing[j]
      end
      results[#results + 1] = entry
    else
      redis.call("HSET", jobKey, "name", name, "data", ARGV[base + 3], "opts", ARGV[base + 4],
        "timestamp", timestamp, "delay", ARGV[base + 5], "priority", ARGV[base + 6])
      if de then
        claimDedupOwnership(keyPrefix, de, jobId, jobKey)
      end
      emit(KEYS[8], "added", "jobId", jobId, "name", name)
      local group, cap = routeOfOpts(ARGV[base + 4])
      if group or cap then
        redis.call("HSET", jobKey, group and "bpg" or "bpcap", group or cap)
      end
      if delay > 0 then
        local due = tonumber(timestamp) + delay
        addToDelayed(KEYS[4], jobId, due)
        emitCapped(KEYS[8], maxLen, "delayed", "jobId", jobId, "delay", string.format("%.0f", due))
        anyDelayed = true
      elseif group or cap then
        parkRoutedJob(keyPrefix, jobId, group, cap, ARGV[base + 7] == "1")
        emitCapped(KEYS[8], maxLen, "waiting", "jobId", jobId)
        anyReady = true
      elseif priority > 0 then
        addToPrioritized(KEYS[5], KEYS[6], jobId, priority)
        emitCapped(KEYS[8], maxLen, "waiting", "jobId", jobId)
        anyReady = true
      else
        pushToWait(KEYS[1], jobId, ARGV[base + 7] == "1")
        emitCapped(KEYS[8], maxLen, "waiting", "jobId", jobId)
        anyReady = true
      end
      results[#results + 1] = {jobId, 0}
    end
  end
end

if anyReady and not pausedOrMaxed then
  addReadyMarker(KEYS[9])
end
if anyDelayed then
  updateDelayMarker(KEYS[9], KEYS[4])
end
return results
