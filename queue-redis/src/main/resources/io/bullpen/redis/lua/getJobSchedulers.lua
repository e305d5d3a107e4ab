-- getJobSchedulers: reads job schedulers with their next run, in one consistent view. With a scheduler id, that
-- one only; else a page of the `repeat` zset ordered by next run.
-- KEYS: 1 repeat
-- ARGV: 1 scheduler id ("" for a page), 2 start, 3 end (inclusive, -1 = last), 4 "1" for ascending order
-- Returns a list of {scheduler id, next run ms, fields (flat HGETALL)...}; schedulers whose hash is missing are
-- left out.
local ids
if ARGV[1] ~= "" then
  local score = redis.call("ZSCORE", KEYS[1], ARGV[1])
  ids = score and {ARGV[1], score} or {}
elseif ARGV[4] == "1" then
  ids = redis.call("ZRANGE", KEYS[1], ARGV[2], ARGV[3], "WITHSCORES")
else
  ids = redis.call("ZREVRANGE", KEYS[1], ARGV[2], ARGV[3], "WITHSCORES")
end
local result = {}
for i = 1, #ids, 2 do
  local fields = redis.call("HGETALL", KEYS[1] .. ":" .. ids[i])
  if #fields > 0 then
    local entry = {ids[i], ids[i + 1]}
    for _, value in ipairs(fields) do
      entry[#entry + 1] = value
    end
    result[#result + 1] = entry
  end
end
return result
