-- Event stream helpers. Every event is an XADD to the queue's `events` stream whose first pair is
-- `event`, <name>, as BullMQ writes it.

-- The stream cap from meta `opts.maxLenEvents`; writes BullMQ's default 10000 when absent.
local function eventsMaxLen(metaKey)
  local maxLen = tonumber(redis.call("HGET", metaKey, "opts.maxLenEvents"))
  if not maxLen then
    maxLen = 10000
    redis.call("HSET", metaKey, "opts.maxLenEvents", maxLen)
  end
  return maxLen
end

-- XADD with an approximate MAXLEN cap.
local function emitCapped(eventsKey, maxLen, ...)
  return redis.call("XADD", eventsKey, "MAXLEN", "~", maxLen, "*", "event", ...)
end

-- XADD without a cap (BullMQ writes finish events uncapped after trimming once per call).
local function emit(eventsKey, ...)
  return redis.call("XADD", eventsKey, "*", "event", ...)
end

local function trimEvents(eventsKey, maxLen)
  redis.call("XTRIM", eventsKey, "MAXLEN", "~", maxLen)
end
