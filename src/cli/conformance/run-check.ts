import { authRules } from './auth-rules.js';
import { CheckRun } from './check-run.js';
import type { CheckOptions, RuleResult } from './options.js';
import { restRules } from './rest-rules.js';
import { resumeRules } from './resume-rules.js';
import { subscriptionRules } from './subscription-rules.js';
import { websocketRules } from './websocket-rules.js';

/**
 * `dashwire check`: a conformance runner for native-protocol servers (docs/protocol.md §12).
 * It drives a server through the spec over real sockets and HTTP and reports one PASS/FAIL
 * line per rule. It publishes nothing: the server must be publishing on the channel under test
 * (live events, at least one every `timeoutMs`), as a dev or staging server with a feed does.
 *
 * The rules run in a fixed order, one module per protocol area; later areas build on what the
 * earlier ones saw (the main connection, the highest seq seen).
 */

/**
 * Runs every rule against a server; `report` sees each result as it is decided.
 * @category CLI
 */
export async function runCheck(
  options: CheckOptions,
  report: (result: RuleResult) => void = () => {},
): Promise<RuleResult[]> {
  const run = new CheckRun(options, report);
  try {
    const conn = await websocketRules(run);
    if (!conn) return run.results;
    await subscriptionRules(run, conn);
    await resumeRules(run, conn);
    if (options.token !== undefined) await authRules(run);
    if (options.httpUrl !== false)
      await restRules(run, Math.max(0, ...run.liveEvents(conn).map((e) => e.seq as number)));
  } finally {
    run.closeAll();
  }
  return run.results;
}
