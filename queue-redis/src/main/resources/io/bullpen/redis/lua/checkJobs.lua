-- Where each job of a batch is, read in one atomic step: QueueIntegrity re-checks every suspect its
-- (non-atomic) scan found with this, so a job that a worker moved between two reads is not reported.
-- KEYS[1] wait list
-- KEYS[2] paused list (BullMQ 5's)
-- KEYS[3] active list
-- KEYS[4] prioritized zset
-- KEYS[5] delayed zset
-- KEYS[6] waiting-children zset
-- KEYS[7] completed zset
-- KEYS[8] failed zset
-- ARGV[1] the queue's key prefix "<prefix>:<queue>:" (job keys, locks and group lists derive from it)
-- ARGV[2..] job ids
-- Returns one list per id: {hash, lock, group, wait, paused, active, prioritized, delayed, waiting-children,
--   completed, failed}; hash is 1 for a hash, 2 for a key of another type, 0 for none; the others are 1 when the
--   job's lock exists / the id is in the group's wait list (field bpg) / in that structure, else 0.

local prefix = ARGV[1]
local out = {}

local function inList(key, id)
  if redis.call("LPOS", key, id) then return 1 end
  return 0
end

local function inZset(key, id)
  if redis.call("ZSCORE", key, id) then return 1 end
  return 0
end

for i = 2, #ARGV do
  local id = ARGV[i]
  local jobKey = prefix .. id
  local kind = redis.call("TYPE", jobKey)["ok"]
  local hash = 0
  local group = 0
  if kind == "hash" then
    hash = 1
    local g = redis.call("HGET", jobKey, "bpg")
    if g then
      group = inList(prefix .. "bp:g:" .. g .. ":wait", id)
    end
  elseif kind ~= "none" then
    hash = 2
  end
  out[#out + 1] = {hash, redis.call("EXISTS", jobKey .. ":lock"), group,
    inList(KEYS[1], id), inList(KEYS[2], id), inList(KEYS[3], id),
    inZset(KEYS[4], id), inZset(KEYS[5], id), inZset(KEYS[6], id), inZset(KEYS[7], id), inZset(KEYS[8], id)}
end

return out
