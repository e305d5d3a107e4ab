--[[
  Adds one or more jobs in one atomic call (Queue.add and Queue.addBulk), BullMQ 6 layout. Jobs with a flow
  parent go through addFlow instead.

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
--@include adding
--@include dedup

local keyPrefix = ARGV[1]
local count = tonumber(ARGV[2])
local k = {
  prefix = keyPrefix, wait = KEYS[1], meta = KEYS[2], id = KEYS[3], delayed = KEYS[4], prioritized = KEYS[5],
  pc = KEYS[6], active = KEYS[7], events = KEYS[8], marker = KEYS[9]
}
local maxLen = eventsMaxLen(k.meta)
-- v6: paused jobs still go to wait; the flag (or global concurrency) only suppresses the ready marker.
local pausedOrMaxed = isPausedOrMaxed(k.meta, k.active)
local anyReady = false
local anyDelayed = false
local results = {}

for i = 0, count - 1 do
  local base = 3 + i * 8
  local customId = ARGV[base]
  local name = ARGV[base + 1]

  -- The counter moves on every attempt, duplicates included, as BullMQ's does.
  local counter = redis.call("INCR", k.id)
  local jobId = customId
  if jobId == "" then
    jobId = string.format("%d", counter)
  end
  local jobKey = keyPrefix .. jobId

  if customId ~= "" and redis.call("EXISTS", jobKey) == 1 then
    emitCapped(k.events, maxLen, "duplicated", "jobId", jobId)
    local entry = {jobId, 1}
    local existing = redis.call("HGETALL", jobKey)
    for j = 1, #existing do
      entry[j + 2] = existing[j]
    end
    results[#results + 1] = entry
  else
    local data, opts = ARGV[base + 3], ARGV[base + 4]
    local de = dedupOptionsOf(opts)
    local owner = de and absorbedByDedupOwner(keyPrefix, de, jobId, name, data, opts, k.delayed, k.active, k.events,
      maxLen)
    if owner then
      local entry = {owner, 2}
      local existing = redis.call("HGETALL", keyPrefix .. owner)
      for j = 1, #existing do
        entry[j + 2] = existing[j]
      end
      results[#results + 1] = entry
    else
      local timestamp, delay, priority = ARGV[base + 2], ARGV[base + 5], ARGV[base + 6]
      local group, cap = storeNewJob(k, jobKey, jobId, name, data, opts, timestamp, delay, priority, nil)
      if de then
        claimDedupOwnership(keyPrefix, de, jobId, jobKey)
      end
      local state = placeNewJob(k, maxLen, jobId, timestamp, tonumber(delay), tonumber(priority),
        ARGV[base + 7] == "1", false, group, cap)
      if state == "delayed" then
        anyDelayed = true
      else
        anyReady = true
      end
      results[#results + 1] = {jobId, 0}
    end
  end
end

if anyReady and not pausedOrMaxed then
  addReadyMarker(k.marker)
end
if anyDelayed then
  updateDelayMarker(k.marker, k.delayed)
end
return results
