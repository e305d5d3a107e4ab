/**
 * Time-driven queue duties (delayed-job promotion, stalled-job checks, job-scheduler run times), free of Redis.
 */
// "module": the qualified export names queue-redis, which is built after this module, so javac cannot see it.
// "requires-automatic": cron-utils ships no module descriptor, only an Automatic-Module-Name, a stable name.
@SuppressWarnings({"module", "requires-automatic"})
module io.bullpen.queue.scheduler {
  // Repeat and the options throw queue-api's exceptions, so callers read queue-api too.
  requires transitive io.bullpen.queue.api;
  requires org.slf4j;
  requires com.cronutils;

  exports io.bullpen.scheduler;
  // queue-redis computes job-scheduler run times with exactly the arithmetic the scheduler uses.
  exports io.bullpen.scheduler.internal to io.bullpen.queue.redis;
}
