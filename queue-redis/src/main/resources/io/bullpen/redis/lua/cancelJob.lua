--[[
  Cancels a job (Queue.cancelJob): records the reason on the job hash and tells the queue's workers on the
  cancel channel. The worker running the job signals its processor; a job not running yet fails with the
  reason when a worker takes it. Finished jobs are left alone.

  KEYS[1] job key  KEYS[2] completed  KEYS[3] failed
  ARGV[1] job id  ARGV[2] reason  ARGV[3] retry allowed "1"/"0"  ARGV[4] cancel channel

  Returns 1 when the cancel was recorded, 0 when the job has finished already, -1 when it does not exist.
]]

if redis.call("EXISTS", KEYS[1]) == 0 then
  return -1
end
if redis.call("ZSCORE", KEYS[2], ARGV[1]) or redis.call("ZSCORE", KEYS[3], ARGV[1]) then
  return 0
end
redis.call("HSET", KEYS[1], "bpcancel", ARGV[2], "bpcancelretry", ARGV[3])
redis.call("PUBLISH", ARGV[4], cjson.encode({jobId = ARGV[1], reason = ARGV[2], retry = ARGV[3] == "1"}))
return 1
