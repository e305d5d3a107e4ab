--[[
  Reads a flow tree from one job down, in one consistent step (FlowProducer.getFlow): each node's hash and state,
  and its children (completed, pending, failed, ignored) in any queue, level by level.

  KEYS[1] the root's job key
  ARGV[1] depth: levels to read, the root counting as the first (>= 1)
  ARGV[2] children to read per node and kind (processed, pending, failed, ignored)

  Returns a flat list of nodes, parents before their children: {parentIndex, jobKey, state, {field, value, ...}}
  where parentIndex is the 1-based position of the node's parent in this list (0 for the root). Children whose
  hash is gone are left out; an empty list means the root does not exist.
]]
--@include parents
--@include state

local depth = tonumber(ARGV[1])
local perKind = tonumber(ARGV[2])

local function firstOf(items, step)
  local out = {}
  for i = 1, math.min(#items, perKind * step), step do
    out[#out + 1] = items[i]
  end
  return out
end

local function childKeysOf(jobKey)
  local keys = {}
  local function add(list)
    for _, key in ipairs(list) do
      keys[#keys + 1] = key
    end
  end
  add(firstOf(redis.call("HSCAN", jobKey .. ":processed", 0, "COUNT", perKind)[2], 2))
  add(firstOf(redis.call("SSCAN", jobKey .. ":dependencies", 0, "COUNT", perKind)[2], 1))
  add(redis.call("ZRANGE", jobKey .. ":unsuccessful", 0, perKind - 1))
  add(firstOf(redis.call("HSCAN", jobKey .. ":failed", 0, "COUNT", perKind)[2], 2))
  return keys
end

local result = {}
local level = {{key = KEYS[1], parentIndex = 0}}
for d = 1, depth do
  local nextLevel = {}
  for _, node in ipairs(level) do
    local prefix, id = splitJobKey(node.key)
    local fields = prefix and redis.call("HGETALL", node.key) or {}
    if #fields > 0 then
      result[#result + 1] = {node.parentIndex, node.key, jobStateIn(stateKeysOf(prefix), id), fields}
      local index = #result
      if d < depth then
        for _, childKey in ipairs(childKeysOf(node.key)) do
          nextLevel[#nextLevel + 1] = {key = childKey, parentIndex = index}
        end
      end
    end
  end
  level = nextLevel
  if #level == 0 then
    break
  end
end
return result
