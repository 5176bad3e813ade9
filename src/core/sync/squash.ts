import type { Candidate, ChangeEntry } from './types.js';

const ZERO = '0'.repeat(40);
const isZero = (oid: string) => /^0+$/.test(oid);

/**
 * The net change of consecutive commits, as one commit's entries: per path, the
 * state before the first and after the last. A rename counts as a deletion and an
 * addition (so each side is judged on its own); a path the commits put back as it
 * was drops out, as a secret added and then removed does.
 */
export function netEntries(commits: readonly Pick<Candidate, 'entries'>[]): ChangeEntry[] {
  const net = new Map<string, { oldMode: string; oldOid: string; newMode: string; newOid: string }>();
  const touch = (path: string, oldMode: string, oldOid: string, newMode: string, newOid: string) => {
    const known = net.get(path);
    net.set(path, { oldMode: known?.oldMode ?? oldMode, oldOid: known?.oldOid ?? oldOid, newMode, newOid });
  };
  for (const commit of commits) {
    for (const entry of commit.entries) {
      if (entry.status === 'R' && entry.fromPath) {
        touch(entry.fromPath, entry.oldMode, entry.oldOid, '000000', ZERO);
        touch(entry.path, '000000', ZERO, entry.newMode, entry.newOid);
      } else if (entry.status === 'C') {
        touch(entry.path, '000000', ZERO, entry.newMode, entry.newOid);
      } else touch(entry.path, entry.oldMode, entry.oldOid, entry.newMode, entry.newOid);
    }
  }
  const entries: ChangeEntry[] = [];
  for (const [path, state] of net) {
    if (state.oldOid === state.newOid && state.oldMode === state.newMode) continue;
    const status = isZero(state.newOid) ? 'D' : isZero(state.oldOid) ? 'A' : 'M';
    entries.push({ status, path, ...state });
  }
  return entries;
}

/**
 * Which blocked commit each candidate could be squashed with: a blocked commit
 * whose very next commit (its child, next in line) is not blocked itself. Whether
 * their net change is clean is for the caller to check, as a whole.
 */
export function squashPairs(candidates: readonly Pick<Candidate, 'oid' | 'parents'>[], isBlocked: (oid: string) => boolean): { blocked: string; fix: string }[] {
  const pairs: { blocked: string; fix: string }[] = [];
  for (let i = 0; i + 1 < candidates.length; i++) {
    const [first, next] = [candidates[i]!, candidates[i + 1]!];
    if (isBlocked(first.oid) && !isBlocked(next.oid) && next.parents?.[0] === first.oid) pairs.push({ blocked: first.oid, fix: next.oid });
  }
  return pairs;
}
