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
        for _, childKey in ipairs(childKeysOf(node.key, perKind)) do
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
