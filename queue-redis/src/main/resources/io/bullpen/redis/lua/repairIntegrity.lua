-- Repairs one integrity finding that is safe to repair, after checking again, in the same atomic step, that it
-- still holds (QueueIntegrity.repair). Nothing that could hold a job's only copy is deleted.
-- KEYS[1] wait list
-- KEYS[2] paused list (BullMQ 5's)
-- KEYS[3] active list
-- KEYS[4] prioritized zset
-- KEYS[5] delayed zset
-- KEYS[6] waiting-children zset
-- KEYS[7] completed zset
-- KEYS[8] failed zset
-- KEYS[9] stalled set
-- ARGV[1] the queue's key prefix "<prefix>:<queue>:"
-- ARGV[2] what to repair:
--   "unlist" ARGV[3] = job id: the id names no job hash; take it out of every state structure
--   "unlock" ARGV[3] = job id: the job is not in active; delete its lock
--   "dropkey" ARGV[3] = job id, ARGV[4] = sub-key suffix (logs, dependencies, processed, failed, unsuccessful):
--       the job hash is gone; delete the left-over key
--   "undepend" ARGV[3] = parent id, ARGV[4] = child job key (same queue): the child hash is gone; take it out of
--       the parent's pending dependencies
--   "undedupe" ARGV[3] = deduplication id: the job it points at is gone; delete the deduplication key
-- Returns 1 when something was changed, 0 when the finding no longer holds.

local prefix = ARGV[1]
local action = ARGV[2]
local id = ARGV[3]

local function hashExists(key)
  return redis.call("EXISTS", key) == 1
end

if action == "unlist" then
  if hashExists(prefix .. id) then return 0 end
  local changed = 0
  for i = 1, 3 do
    changed = changed + redis.call("LREM", KEYS[i], 0, id)
  end
  for i = 4, 8 do
    changed = changed + redis.call("ZREM", KEYS[i], id)
  end
  redis.call("SREM", KEYS[9], id)
  if changed > 0 then return 1 end
  return 0
elseif action == "unlock" then
  if redis.call("LPOS", KEYS[3], id) then return 0 end
  return redis.call("DEL", prefix .. id .. ":lock")
elseif action == "dropkey" then
  local suffix = ARGV[4]
  if suffix ~= "logs" and suffix ~= "dependencies" and suffix ~= "processed" and suffix ~= "failed"
      and suffix ~= "unsuccessful" then
    return redis.error_reply("ERR unknown sub-key " .. suffix)
  end
  if hashExists(prefix .. id) then return 0 end
  return redis.call("DEL", prefix .. id .. ":" .. suffix)
elseif action == "undepend" then
  local child = ARGV[4]
  if string.sub(child, 1, #prefix) ~= prefix or hashExists(child) then return 0 end
  return redis.call("SREM", prefix .. id .. ":dependencies", child)
elseif action == "undedupe" then
  local key = prefix .. "de:" .. id
  local owner = redis.call("GET", key)
  if not owner or hashExists(prefix .. owner) then return 0 end
  return redis.call("DEL", key)
end
return redis.error_reply("ERR unknown repair " .. tostring(action))
