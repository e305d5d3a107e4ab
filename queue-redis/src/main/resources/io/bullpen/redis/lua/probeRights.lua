-- probeRights: runs, on throw-away keys inside the queue's key space, every kind of command Bullpen's scripts
-- use, and reports those the connection's ACL user may not run, so that a worker without a needed right fails at
-- start with one clear error instead of failing on every call later. Deletes what it wrote before returning.
-- KEYS: 1 probe key "<prefix>:<queue>:bp:probe"
-- ARGV: none (PUBLISH goes to a channel named like the probe key: channel rights are checked like key rights)
-- Returns a list of "COMMAND: error" entries, one per refused command; empty when every command is allowed.

local base = KEYS[1]
local list, otherList, hash, zset, set, stream, counter =
  base .. ":l", base .. ":l2", base .. ":h", base .. ":z", base .. ":s", base .. ":x", base .. ":n"
local refused = {}

local function try(command, ...)
  local reply = redis.pcall(command, ...)
  if type(reply) == "table" and reply.err then
    refused[#refused + 1] = command .. ": " .. reply.err
  end
end

try("SET", base, "1", "PX", 1000)
try("GET", base)
try("PEXPIRE", base, 1000)
try("PTTL", base)
try("EXISTS", base)
try("INCR", counter)
try("HSET", hash, "f", "v")
try("HGET", hash, "f")
try("HMGET", hash, "f")
try("HINCRBY", hash, "n", 1)
try("HGETALL", hash)
try("HDEL", hash, "f")
try("LPUSH", list, "a")
try("RPUSH", list, "b")
try("LRANGE", list, 0, -1)
try("LLEN", list)
try("LMOVE", list, otherList, "RIGHT", "LEFT")
try("LREM", list, 0, "a")
try("ZADD", zset, 1, "a")
try("ZSCORE", zset, "a")
try("ZRANGEBYSCORE", zset, "-inf", "+inf", "LIMIT", 0, 1)
try("ZCARD", zset)
try("ZREM", zset, "a")
try("SADD", set, "a")
try("SISMEMBER", set, "a")
try("SREM", set, "a")
try("XADD", stream, "MAXLEN", "~", 10, "*", "f", "v")
try("XLEN", stream)
try("PUBLISH", base, "probe")
try("DEL", base, list, otherList, hash, zset, set, stream, counter)
return refused
