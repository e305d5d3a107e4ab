-- BullMQ's per-minute metrics of finished jobs (its worker option `metrics: {maxDataPoints}`), kept in the hash
-- `<prefix>:<queue>:metrics:<completed|failed>` (count, prevTS, prevCount) and its list `…:data` (one count per
-- minute, newest first, at most maxDataPoints long). The keys derive from the queue's key prefix, as job keys do.

-- Counts one finished job of `target` ("completed" or "failed") at `now` (ms) when maxDataPoints > 0.
local function collectMetrics(keyPrefix, target, maxDataPoints, now)
  if maxDataPoints == nil or maxDataPoints <= 0 then
    return
  end
  local metaKey = keyPrefix .. "metrics:" .. target
  local dataKey = metaKey .. ":data"
  local before = redis.call("HINCRBY", metaKey, "count", 1) - 1
  local prevTS = tonumber(redis.call("HGET", metaKey, "prevTS"))
  if not prevTS then
    redis.call("HSET", metaKey, "prevTS", now, "prevCount", 0)
    return
  end
  local minutes = math.min(math.floor(now / 60000) - math.floor(prevTS / 60000), maxDataPoints)
  if minutes <= 0 then
    return
  end
  local prevCount = tonumber(redis.call("HGET", metaKey, "prevCount")) or 0
  -- The finished minute's count first, then a zero for each empty minute since, so the zeros end up nearest the
  -- head. Pushed in slices: Lua's unpack refuses very long argument lists.
  local points = {before - prevCount}
  for _ = 2, minutes do
    points[#points + 1] = 0
    if #points == 1000 then
      redis.call("LPUSH", dataKey, unpack(points))
      points = {}
    end
  end
  if #points > 0 then
    redis.call("LPUSH", dataKey, unpack(points))
  end
  redis.call("LTRIM", dataKey, 0, maxDataPoints - 1)
  redis.call("HSET", metaKey, "prevCount", before, "prevTS", now)
end
