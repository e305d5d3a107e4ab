-- Deduplication (BullMQ's `deduplication` option, stored as opts `de`): the key `de:<id>` names the job that
-- owns the id; `dn:<id>` holds the job to create when an active owner finishes (keepLastIfActive).
-- Needs: events, placement.

-- The `de` table of a job's opts JSON, or nil. The JSON is decoded only when it can hold one.
local function dedupOptionsOf(optsJson)
  if not string.find(optsJson, '"de"', 1, true) then
    return nil
  end
  local ok, opts = pcall(cjson.decode, optsJson)
  if not ok or type(opts) ~= "table" or type(opts.de) ~= "table" or opts.de.id == nil then
    return nil
  end
  return opts.de
end

local function isInList(listKey, value)
  local pos = redis.pcall("LPOS", listKey, value)
  if type(pos) == "table" and pos.err then
    for _, v in ipairs(redis.call("LRANGE", listKey, 0, -1)) do
      if v == value then
        return true
      end
    end
    return false
  end
  return pos ~= false and pos ~= nil
end

local function emitDeduplicated(eventsKey, maxLen, survivorId, dedupId, discardedId)
  emitCapped(eventsKey, maxLen, "deduplicated", "jobId", survivorId, "deduplicationId", dedupId,
    "deduplicatedJobId", discardedId)
end

-- Decides whether the job about to be added (newId, not stored yet) is absorbed by the current owner of its
-- deduplication id. Returns the owner's id when the add must store nothing, else nil; in that case the caller
-- stores the job and calls claimDedupOwnership. A replaced delayed owner is deleted here.
local function absorbedByDedupOwner(keyPrefix, de, newId, name, dataJson, optsJson, delayedKey, activeKey,
    eventsKey, maxLen)
  local dedupId = tostring(de.id)
  local dedupKey = keyPrefix .. "de:" .. dedupId
  local ttl = tonumber(de.ttl)
  if ttl and ttl <= 0 then
    ttl = nil
  end
  local owner = redis.call("GET", dedupKey)
  if not owner then
    return nil
  end
  if de.keepLastIfActive == true and isInList(activeKey, owner) then
    -- The newest add waits in dn:<id> and becomes a job when the active owner finishes.
    redis.call("DEL", keyPrefix .. "dn:" .. dedupId)
    redis.call("HSET", keyPrefix .. "dn:" .. dedupId, "name", name, "data", dataJson, "opts", optsJson, "jid", newId)
    emitDeduplicated(eventsKey, maxLen, owner, dedupId, newId)
    return owner
  end
  if de.replace == true then
    if redis.call("ZREM", delayedKey, owner) == 1 then
      local ownerKey = keyPrefix .. owner
      redis.call("DEL", ownerKey, ownerKey .. ":logs", ownerKey .. ":lock")
      emit(eventsKey, "removed", "jobId", owner, "prev", "delayed")
      emitDeduplicated(eventsKey, maxLen, newId, dedupId, owner)
      return nil
    end
    return owner
  end
  if ttl and de.extend == true then
    redis.call("SET", dedupKey, owner, "PX", ttl)
  end
  emitDeduplicated(eventsKey, maxLen, owner, dedupId, newId)
  return owner
end

-- Makes the stored job jobId the owner of its deduplication id.
local function claimDedupOwnership(keyPrefix, de, jobId, jobKey)
  local dedupId = tostring(de.id)
  local dedupKey = keyPrefix .. "de:" .. dedupId
  local ttl = tonumber(de.ttl)
  if de.keepLastIfActive == true or not ttl or ttl <= 0 then
    redis.call("SET", dedupKey, jobId)
  elseif de.replace == true and de.extend ~= true and redis.call("PTTL", dedupKey) > 0 then
    redis.call("SET", dedupKey, jobId, "KEEPTTL")
  else
    redis.call("SET", dedupKey, jobId, "PX", ttl)
  end
  redis.call("HSET", jobKey, "deid", dedupId)
end

-- opts stored by a BullMQ writer may be MessagePack; Bullpen stores JSON. Returns the table and its JSON.
local function decodeStoredOpts(stored)
  local ok, opts = pcall(cjson.decode, stored)
  if ok and type(opts) == "table" then
    return opts, stored
  end
  ok, opts = pcall(cmsgpack.unpack, stored)
  if ok and type(opts) == "table" then
    return opts, cjson.encode(opts)
  end
  return {}, "{}"
end

-- keepLastIfActive: when the finishing job owned dedupId, the job kept in dn:<dedupId> is created now (before
-- the owner's own finish events), owns the id and is placed by its delay, priority and lifo.
-- q holds the queue keys of workerQueueKeys(); returns the new job id or nil.
local function createKeptDedupJob(q, keyPrefix, finishingJobKey, now, maxLen)
  local dedupId = redis.call("HGET", finishingJobKey, "deid")
  if not dedupId then
    return nil
  end
  local nextKey = keyPrefix .. "dn:" .. dedupId
  local kept = redis.call("HMGET", nextKey, "name", "data", "opts", "jid")
  if not kept[1] then
    return nil
  end
  redis.call("DEL", nextKey)
  local opts, optsJson = decodeStoredOpts(kept[3] or "{}")
  local counter = redis.call("INCR", keyPrefix .. "id")
  local jobId = kept[4]
  if not jobId or jobId == "" or redis.call("EXISTS", keyPrefix .. jobId) == 1 then
    jobId = string.format("%d", counter)
  end
  local jobKey = keyPrefix .. jobId
  local delay = tonumber(opts.delay) or 0
  local priority = tonumber(opts.priority) or 0
  redis.call("HSET", jobKey, "name", kept[1], "data", kept[2] or "{}", "opts", optsJson, "timestamp", now,
    "delay", delay, "priority", priority)
  local de = type(opts.de) == "table" and opts.de or {id = dedupId, keepLastIfActive = true}
  de.id = dedupId
  claimDedupOwnership(keyPrefix, de, jobId, jobKey)
  emit(q.events, "added", "jobId", jobId, "name", kept[1])
  if delay > 0 then
    local due = now + delay
    addToDelayed(q.delayed, jobId, due)
    emitCapped(q.events, maxLen, "delayed", "jobId", jobId, "delay", string.format("%.0f", due))
    updateDelayMarker(q.marker, q.delayed)
  else
    if priority > 0 then
      addToPrioritized(q.prioritized, q.pc, jobId, priority)
    else
      pushToWait(q.wait, jobId, opts.lifo == true)
    end
    emitCapped(q.events, maxLen, "waiting", "jobId", jobId)
    if not isPausedOrMaxed(q.meta, q.active) then
      addReadyMarker(q.marker)
    end
  end
  return jobId
end
