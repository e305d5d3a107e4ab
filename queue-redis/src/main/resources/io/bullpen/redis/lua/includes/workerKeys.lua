-- The ten queue keys every worker script receives first, as KEYS[1..10], in this order:
-- wait, active, prioritized, events, stalled, limiter, delayed, meta, pc, marker.
local function workerQueueKeys()
  return {
    wait = KEYS[1], active = KEYS[2], prioritized = KEYS[3], events = KEYS[4], stalled = KEYS[5],
    limiter = KEYS[6], delayed = KEYS[7], meta = KEYS[8], pc = KEYS[9], marker = KEYS[10]
  }
end

-- Optional numeric ARGV: "" means not set.
local function optionalNumber(value)
  if value == nil or value == "" then
    return nil
  end
  return tonumber(value)
end
