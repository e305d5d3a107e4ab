--[[
  Reads a parent job's children in one consistent step (Job.getDependencies): completed ones with their return
  values (`:processed`), pending ones (`:dependencies`), ones that failed with failParentOnFailure
  (`:unsuccessful`) and failures let through with their reasons (`:failed`, "ignored").

  KEYS[1] job key
  ARGV[1..4] for processed, pending, failed, ignored in that order: "" to skip the kind, "all" to read it whole,
             or a cursor (0 to start) for one page
  ARGV[5] entries per page

  Returns {processed, nextProcessed, pending, nextPending, failed, nextFailed, ignored, nextIgnored}: processed
  and ignored as flat {childKey, value, ...} lists, pending and failed as lists of child keys; each next cursor
  is "0" when that kind is exhausted (or was read whole or skipped).
]]

local jobKey = KEYS[1]
local pageSize = tonumber(ARGV[5])

local function readHash(key, mode)
  if mode == "" then
    return {}, "0"
  end
  if mode == "all" then
    return redis.call("HGETALL", key), "0"
  end
  local reply = redis.call("HSCAN", key, mode, "COUNT", pageSize)
  return reply[2], reply[1]
end

local function readSet(key, mode)
  if mode == "" then
    return {}, "0"
  end
  if mode == "all" then
    return redis.call("SMEMBERS", key), "0"
  end
  local reply = redis.call("SSCAN", key, mode, "COUNT", pageSize)
  return reply[2], reply[1]
end

local function readZset(key, mode)
  if mode == "" then
    return {}, "0"
  end
  if mode == "all" then
    return redis.call("ZRANGE", key, 0, -1), "0"
  end
  local start = tonumber(mode)
  local members = redis.call("ZRANGE", key, start, start + pageSize - 1)
  local nextStart = start + pageSize
  if redis.call("ZCARD", key) > nextStart then
    return members, tostring(nextStart)
  end
  return members, "0"
end

local processed, nextProcessed = readHash(jobKey .. ":processed", ARGV[1])
local pending, nextPending = readSet(jobKey .. ":dependencies", ARGV[2])
local failed, nextFailed = readZset(jobKey .. ":unsuccessful", ARGV[3])
local ignored, nextIgnored = readHash(jobKey .. ":failed", ARGV[4])
return {processed, nextProcessed, pending, nextPending, failed, nextFailed, ignored, nextIgnored}
