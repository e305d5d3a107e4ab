--[[
  How many children a parent job has in each condition, read in one step (Job.getDependenciesCount).

  KEYS[1] job key
  ARGV    none

  Returns {processed, pending, failed (failParentOnFailure), ignored}.
]]

local jobKey = KEYS[1]
return {
  redis.call("HLEN", jobKey .. ":processed"),
  redis.call("SCARD", jobKey .. ":dependencies"),
  redis.call("ZCARD", jobKey .. ":unsuccessful"),
  redis.call("HLEN", jobKey .. ":failed")
}
