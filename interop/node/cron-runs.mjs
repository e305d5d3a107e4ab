// Computes cron runs with the cron-parser BullMQ 6.7.0 uses, each from the previous one, as its workers do.
//
// Env: CASES JSON array of {"pattern", "tz", "from" (ms), "count"}.
// Output: one {"type":"runs","index":i,"runs":[ms...]} per case (a case ends early when there is no next run),
//         then {"type":"done"}.
import { CronExpressionParser } from 'cron-parser';
import { emit, jsonEnv } from './lib.mjs';

const cases = jsonEnv('CASES', []);
for (const [index, c] of cases.entries()) {
  const runs = [];
  let current = c.from;
  for (let i = 0; i < c.count; i++) {
    try {
      const next = CronExpressionParser.parse(c.pattern, { tz: c.tz, currentDate: new Date(current) }).next();
      current = next.getTime();
      runs.push(current);
    } catch (error) {
      break;
    }
  }
  emit({ type: 'runs', index, runs });
}
emit({ type: 'done' });
