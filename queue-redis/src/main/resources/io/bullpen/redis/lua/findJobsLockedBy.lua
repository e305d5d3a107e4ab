-- findJobsLockedBy: the active jobs whose lock holds one of the given tokens. A worker asks after a fetch whose
-- reply it lost (the connection dropped or the call timed out), to find the jobs that fetch may have locked for
-- it and give them back before their lock expires. Scans `active`, so it is for that rare case only.
-- KEYS: 1 active
-- ARGV: 1 key prefix "<prefix>:<queue>:", 2.. lock tokens
-- Returns a flat list of job id, token pairs.

local activeKey = KEYS[1]
local keyPrefix = ARGV[1]
local wanted = {}
for i = 2, #ARGV do
  wanted[ARGV[i]] = true
end
local found = {}
local ids = redis.call("LRANGE", activeKey, 0, -1)
for _, jobId in ipairs(ids) do
  local holder = redis.call("GET", keyPrefix .. jobId .. ":lock")
  if holder and wanted[holder] then
    found[#found + 1] = jobId
    found[#found + 1] = holder
  end
end
return found
