import type { Candidate } from './types.js';

/** The empty file (SHA-1 and SHA-256): its content is no one's secret. */
const EMPTY_BLOBS = new Set(['e69de29bb2d1d6434b8b29ae775ad8c2e48c5391', '473a0f4c3be8a93681a267e3b1e9a7dcda1185436fe141f7749120a303721813']);

const isZero = (oid: string) => /^0+$/.test(oid);
/** regular files only: a symlink's blob is a path, a gitlink a commit id */
const isFile = (mode: string) => mode.startsWith('100');

export interface CopyFacts {
  isPrivatePath: (path: string) => boolean;
  /** blob ids in upstream/main's tree: content that is public already */
  upstreamBlobs: ReadonlySet<string>;
  /** blob id → a private path holding it in main's tree */
  headPrivateBlobs: ReadonlyMap<string, string>;
}

/**
 * Commits that put private content in a public path without git reporting a
 * copy or rename (`cp private/pricing.md docs/pricing.md` is a plain add, since
 * copy detection only looks at files the same commit changed). A public path's
 * new content is private when the same blob was, earlier in the history (oldest
 * first) or in the same commit, under a private zone, before it was ever in a
 * public path; or when it is under a private zone in main's tree and came there
 * by no candidate commit (a merge). Exact copies only: a copy edited on the way
 * has another blob id and is not recognised here.
 */
export function privateCopies(candidates: readonly Candidate[], facts: CopyFacts): Map<string, string[]> {
  const origin = new Map<string, { private: boolean; path: string }>();
  for (const blob of facts.upstreamBlobs) origin.set(blob, { private: false, path: '' });
  const everPrivate = new Set<string>();
  for (const candidate of candidates) {
    for (const entry of candidate.entries) {
      if (facts.isPrivatePath(entry.path) && !isZero(entry.newOid)) everPrivate.add(entry.newOid);
      const oldPath = entry.fromPath ?? entry.path;
      if (facts.isPrivatePath(oldPath) && !isZero(entry.oldOid)) everPrivate.add(entry.oldOid);
    }
  }

  const blockers = new Map<string, string[]>();
  for (const candidate of candidates) {
    const reasons: string[] = [];
    for (const entry of candidate.entries) {
      if (entry.status === 'D' || facts.isPrivatePath(entry.path) || !isFile(entry.newMode) || isZero(entry.newOid) || EMPTY_BLOBS.has(entry.newOid)) continue;
      // already reported as a private rename or copy
      if ((entry.status === 'R' || entry.status === 'C') && entry.fromPath && facts.isPrivatePath(entry.fromPath)) continue;
      const blob = entry.newOid;
      const known = origin.get(blob);
      let source: string | undefined;
      if (known) source = known.private ? known.path : undefined;
      else if (!everPrivate.has(blob)) source = facts.headPrivateBlobs.get(blob);
      if (source !== undefined) {
        reasons.push(
          `public ${entry.path} has exactly the content of private ${source}, carrying private content into a public path` +
            ' (keep it private: remove the public copy in a new commit; if it is meant to be public, propose it upstream yourself)',
        );
      }
    }
    if (reasons.length > 0) blockers.set(candidate.oid, reasons);

    for (const entry of candidate.entries) {
      const oldPath = entry.fromPath ?? entry.path;
      if (!isZero(entry.oldOid) && !origin.has(entry.oldOid)) origin.set(entry.oldOid, { private: facts.isPrivatePath(oldPath), path: oldPath });
    }
    // new content a commit writes to a public path and a private one alike is public work (a mixed commit)
    for (const entry of candidate.entries) {
      if (entry.status !== 'D' && !isZero(entry.newOid) && !facts.isPrivatePath(entry.path) && !origin.has(entry.newOid)) origin.set(entry.newOid, { private: false, path: entry.path });
    }
    for (const entry of candidate.entries) {
      if (entry.status !== 'D' && !isZero(entry.newOid) && !origin.has(entry.newOid)) origin.set(entry.newOid, { private: true, path: entry.path });
    }
  }
  return blockers;
}
