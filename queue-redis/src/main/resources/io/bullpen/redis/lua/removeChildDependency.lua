--[[
  Detaches a child from its parent (Job.removeChildDependency): it stops being one of the parent's pending
  dependencies, which releases the parent to wait when it was the last, and loses its parentKey/parent fields.

  KEYS[1] the child's job key
  ARGV    none

  Returns 0 when detached, 1 when the parent exists but was not waiting for this child (nothing changed),
  -1 when the child does not exist, -5 when it has no parent or the parent does not exist.
]]
--@include parents

local childKey = KEYS[1]
if redis.call("EXISTS", childKey) == 0 then
  return -1
end
local parent = parentOf(childKey)
if not parent or redis.call("EXISTS", parent.key) == 0 then
  return -5
end
if not unlinkRemovedChild(parent, childKey) then
  return 1
end
redis.call("HDEL", childKey, "parentKey", "parent")
return 0
