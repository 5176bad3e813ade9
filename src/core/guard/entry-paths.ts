import type { ZoneMatcher } from '../zones.js';
import type { Violation } from './types.js';

/** What the guard needs of one changed tree entry (a `git log --raw` line). */
export interface ChangedEntry {
  commit?: string;
  status: string;
  oldMode: string;
  newMode: string;
  newOid: string;
  path: string;
}

type PathViolation = Extract<Violation, { type: 'private-path' }>;

export function entryKind(mode: string): PathViolation['entry'] {
  switch (mode) {
    case '120000':
      return 'symlink';
    case '160000':
      return 'submodule';
    case '100755':
      return 'executable';
    case '040000':
      return 'tree';
    default:
      return 'file';
  }
}

function changeOf(entry: ChangedEntry): PathViolation['change'] {
  if (entry.status === 'R' || entry.status === 'C') return 'rename';
  if (entry.status === 'T' || (entry.oldMode !== entry.newMode && !/^0+$/.test(entry.oldMode))) return 'type-change';
  return entry.status === 'A' ? 'add' : 'modify';
}

/**
 * Zones apply to tree entries, not to text: an empty file, a binary, a pure rename
 * (whose blob the remote may already have), a symlink or a submodule under a
 * private zone is refused alike. Deletions publish nothing and pass.
 */
export function privatePathViolations(entries: Iterable<ChangedEntry>, inZone: ZoneMatcher): PathViolation[] {
  const violations: PathViolation[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    if (entry.status === 'D' || /^0+$/.test(entry.newMode)) continue;
    const hit = inZone(entry.path);
    if (!hit) continue;
    const key = `${entry.commit ?? ''}\0${entry.path}`;
    if (seen.has(key)) continue;
    seen.add(key);
    violations.push({
      type: 'private-path',
      location: { kind: 'path', commit: entry.commit, path: entry.path },
      zone: hit.zone,
      glob: hit.glob,
      change: changeOf(entry),
      entry: entryKind(entry.newMode),
    });
  }
  return violations;
}
