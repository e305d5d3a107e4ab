--[[
  Pages through jobs of several states and returns their hashes (Queue.getJobs). Each state is paged on its
  own with the same start/end, BullMQ style: lists are read from the right end (oldest first) for ascending
  order, zsets by score.

  KEYS[1] wait  KEYS[2] paused (legacy v5 list)  KEYS[3] prioritized  KEYS[4] delayed  KEYS[5] active
  KEYS[6] waiting-children  KEYS[7] completed  KEYS[8] failed
  ARGV[1] key prefix "<prefix>:<queue>:"
  ARGV[2] start (>= 0)
  ARGV[3] end (>= start, or -1 for the last)
  ARGV[4] "1" for ascending order
  ARGV[5..] state names (waiting, prioritized, delayed, active, waiting-children, completed, failed)

  Returns {jobId, {field, value, ...}} pairs flattened: {id1, fields1, id2, fields2, ...}; ids whose hash is
  gone are skipped.
]]

local keyPrefix = ARGV[1]
local first = tonumber(ARGV[2])
local last = tonumber(ARGV[3])
local asc = ARGV[4] == "1"
local zsets = {
  prioritized = KEYS[3], delayed = KEYS[4], ["waiting-children"] = KEYS[6], completed = KEYS[7], failed = KEYS[8]
}

local function rangeList(listKey)
  if not asc then
    return redis.call("LRANGE", listKey, first, last)
  end
  local ids = redis.call("LRANGE", listKey, -1 - last, -1 - first)
  local reversed = {}
  for i = #ids, 1, -1 do
    reversed[#reversed + 1] = ids[i]
  end
  return reversed
end

local function rangeZset(zsetKey)
  if asc then
    return redis.call("ZRANGE", zsetKey, first, last)
  end
  return redis.call("ZREVRANGE", zsetKey, first, last)
end

local result = {}
local seen = {}
local function collect(ids)
  for _, jobId in ipairs(ids) do
    if not seen[jobId] then
      seen[jobId] = true
      local fields = redis.call("HGETALL", keyPrefix .. jobId)
      if #fields > 0 then
        result[#result + 1] = jobId
        result[#result + 1] = fields
      end
    end
  end
end

for i = 5, #ARGV do
  local state = ARGV[i]
  if state == "waiting" then
    collect(rangeList(KEYS[1]))
    collect(rangeList(KEYS[2]))
  elseif state == "active" then
    collect(rangeList(KEYS[5]))
  else
    collect(rangeZset(zsets[state]))
  end
end
return result
