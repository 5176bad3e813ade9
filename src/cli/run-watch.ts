import { progressBoard } from '../core/run/outcome.js';
import type { WatchRequest, WatchResult } from '../app/run/watch.js';
import { pollIntervalMs } from './run-flags.js';

/**
 * Watch with progress: redrawn in place on a terminal, plain lines of what
 * changed otherwise (logs, CI, pipes). Progress goes to stderr when stdout
 * carries JSON.
 */
export async function followRuns(request: WatchRequest, json: boolean): Promise<WatchResult> {
  const { watchRuns } = await import('../app/run/watch.js');
  const stream = json ? process.stderr : process.stdout;
  const live = stream.isTTY === true && !process.env.CI;
  let drawn = 0;
  const interval = pollIntervalMs();
  const result = await watchRuns({
    ...request,
    ...(interval ? { intervalMs: interval, maxIntervalMs: Math.max(interval, interval * 4) } : {}),
    onProgress(state, changes) {
      if (live) {
        const board = progressBoard(state.runs, Date.now());
        stream.write(`${drawn > 0 ? `\x1b[${drawn}A\x1b[J` : ''}${board.join('\n')}\n`);
        drawn = board.length;
      } else if (changes.length > 0) {
        stream.write(`${changes.join('\n')}\n`);
      }
    },
  });
  if (!json) stream.write((await import('../report/run.js')).renderWatchEnd(result));
  return result;
}
