export type DriftExplanation = 'sync-up' | 'sync-down' | 'both' | 'held-back' | 'unexplained';

export interface DriftEntry {
  path: string;
  /** what differs: only in the mirror, only upstream, or different content */
  kind: 'mirror-only' | 'upstream-only' | 'different';
  explanation: DriftExplanation;
}

/**
 * Public paths whose state differs between the mirror's main and upstream/main,
 * and whether the sync flow explains it: work waiting to go up (sync-up), or
 * upstream changes not merged yet (sync-down), or mirror commits sync-up holds
 * back (blocked, private, unsplit). Anything else changed outside the flow (an
 * edit inside a merge, a rewritten upstream) and deserves a look.
 */
export function findDrift(input: {
  mirror: ReadonlyMap<string, string>;
  upstream: ReadonlyMap<string, string>;
  isPrivatePath: (path: string) => boolean;
  waitingToGoUp: ReadonlySet<string>;
  heldBack: ReadonlySet<string>;
  changedUpstream: ReadonlySet<string>;
}): DriftEntry[] {
  const paths = new Set([...input.mirror.keys(), ...input.upstream.keys()]);
  const drift: DriftEntry[] = [];
  for (const path of [...paths].sort()) {
    if (input.isPrivatePath(path)) continue;
    const mine = input.mirror.get(path);
    const theirs = input.upstream.get(path);
    if (mine === theirs) continue;
    const up = input.waitingToGoUp.has(path);
    const down = input.changedUpstream.has(path);
    drift.push({
      path,
      kind: mine === undefined ? 'upstream-only' : theirs === undefined ? 'mirror-only' : 'different',
      explanation: up && down ? 'both' : up ? 'sync-up' : down ? 'sync-down' : input.heldBack.has(path) ? 'held-back' : 'unexplained',
    });
  }
  return drift;
}
