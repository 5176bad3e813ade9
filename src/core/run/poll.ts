/**
 * How long to wait before the next poll of a run: start at `baseMs`, stretch by
 * half each time nothing changed (up to `maxMs`), snap back on a change; and
 * never spend the rate limit faster than it refills (the remaining requests are
 * spread over the time to the reset, `requestsPerPoll` at a time).
 */
export interface PollState {
  baseMs: number;
  maxMs: number;
  previousMs: number | undefined;
  changed: boolean;
  /** how many requests one poll makes (run + jobs, times the runs watched) */
  requestsPerPoll: number;
  rateLimit?: { remaining: number; resetAt: number };
  now: number;
}

export function nextPollDelay(state: PollState): number {
  const stretched = state.changed || state.previousMs === undefined ? state.baseMs : Math.min(state.maxMs, Math.round(state.previousMs * 1.5));
  const limit = state.rateLimit;
  if (!limit) return stretched;
  const untilReset = Math.max(0, limit.resetAt - state.now);
  const polls = Math.floor(limit.remaining / Math.max(1, state.requestsPerPoll));
  // keep a reserve for the download that usually follows
  if (polls <= 5) return Math.max(stretched, untilReset + 1000);
  return Math.max(stretched, Math.ceil(untilReset / (polls - 5)));
}
