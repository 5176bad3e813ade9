import type { ChangeEntry } from './types.js';

/** One path of a replayed commit: set to an entry, or deleted. */
export type ReplayChange = { path: string; mode: string; oid: string } | { path: string; delete: true };

export interface FastCommit {
  oid: string;
  changes: ReplayChange[];
}

const isZero = (oid: string) => /^0+$/.test(oid);
const entryOf = (mode: string, oid: string) => (isZero(oid) ? undefined : `${mode} ${oid}`);

/**
 * The longest run of commits, from the first, that replays without merging: each
 * public path a commit changes is, in the tree built so far, exactly as it was in
 * the commit's parent. Then the cherry-pick's result is that tree with those
 * entries replaced, which git fast-import writes in one process from existing
 * blobs: no worktree, no index. The first commit that needs a content merge ends
 * the run; the rest is replayed with cherry-pick in a worktree.
 */
export function fastReplayPrefix(
  commits: readonly { oid: string; entries: readonly ChangeEntry[]; dropPaths: readonly string[] }[],
  upstreamEntry: (path: string) => string | undefined,
): FastCommit[] {
  const built = new Map<string, string | undefined>();
  const current = (path: string) => (built.has(path) ? built.get(path) : upstreamEntry(path));
  const prefix: FastCommit[] = [];
  for (const commit of commits) {
    const dropped = new Set(commit.dropPaths);
    const before = new Map<string, string | undefined>();
    const after = new Map<string, string | undefined>();
    for (const entry of commit.entries) {
      if (entry.fromPath && entry.status === 'R' && !dropped.has(entry.fromPath)) {
        before.set(entry.fromPath, entryOf(entry.oldMode, entry.oldOid));
        after.set(entry.fromPath, undefined);
      }
      if (dropped.has(entry.path)) continue;
      const fresh = entry.status === 'R' || entry.status === 'C';
      if (!before.has(entry.path)) before.set(entry.path, fresh ? undefined : entryOf(entry.oldMode, entry.oldOid));
      after.set(entry.path, entry.status === 'D' ? undefined : entryOf(entry.newMode, entry.newOid));
    }
    for (const [path, state] of before) if (current(path) !== state) return prefix;
    const changes: ReplayChange[] = [];
    for (const [path, state] of after) {
      built.set(path, state);
      if (state === undefined) changes.push({ path, delete: true });
      else {
        const [mode, oid] = state.split(' ') as [string, string];
        changes.push({ path, mode, oid });
      }
    }
    prefix.push({ oid: commit.oid, changes });
  }
  return prefix;
}
