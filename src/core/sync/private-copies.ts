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
  /** blob id → a private path holding it in the commit's tree or in one of its parents' */
  privateAround?: (commit: string) => ReadonlyMap<string, string>;
  /** a key equal for two blobs whose text is the same up to whitespace (undefined: binary or not read) */
  textKey?: (blob: string) => string | undefined;
}

/**
 * Commits that put private content in a public path without git reporting a
 * copy or rename (`cp private/pricing.md docs/pricing.md` is a plain add, since
 * copy detection only looks at files the same commit changed). A public path's
 * new content is private when the same blob was, earlier in the history (oldest
 * first) or in the same commit, under a private zone, before it was ever in a
 * public path; or when it is under a private zone in main's tree and came there
 * by no candidate commit (a merge). Besides, a public path's new content that
 * is not public already is private when a private path holds the same blob, or
 * the same text up to whitespace, in the commit's own tree or a parent's: a file
 * copied from a private zone in the same commit that adds it there, or one
 * re-indented or saved with other line ends on the way. A copy edited in its
 * words is not recognised here.
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
      let how = 'exactly the content';
      if (source === undefined && !(known && !known.private)) {
        const around = facts.privateAround?.(candidate.oid);
        source = around?.get(blob);
        if (source === undefined && around && facts.textKey) {
          const key = facts.textKey(blob);
          if (key !== undefined) {
            for (const [privateBlob, path] of around) {
              if (facts.textKey(privateBlob) === key) {
                source = path;
                how = 'the content (up to whitespace)';
                break;
              }
            }
          }
        }
      }
      if (source !== undefined) {
        reasons.push(
          `public ${entry.path} has ${how} of private ${source}, carrying private content into a public path` +
            ' (keep it private: remove the public copy in a new commit; if it is meant to be public, propose it upstream yourself)',
        );
      }
    }
    if (reasons.length > 0) blockers.set(candidate.oid, reasons);

    for (const entry of candidate.entries) {
      const oldPath = entry.fromPath ?? entry.path;
      if (!isZero(entry.oldOid) && !origin.has(entry.oldOid)) origin.set(entry.oldOid, { private: facts.isPrivatePath(oldPath), path: oldPath });
    }
    // new content a commit writes to a private path and a public one alike is a private file copied out (blocked above)
    for (const entry of candidate.entries) {
      if (entry.status !== 'D' && !isZero(entry.newOid) && facts.isPrivatePath(entry.path) && !origin.has(entry.newOid)) origin.set(entry.newOid, { private: true, path: entry.path });
    }
    for (const entry of candidate.entries) {
      if (entry.status !== 'D' && !isZero(entry.newOid) && !origin.has(entry.newOid)) origin.set(entry.newOid, { private: false, path: entry.path });
    }
  }
  return blockers;
}
