import { publicMessage } from './message.js';
import type { Candidate, Classified, CommitClass } from './types.js';

export interface ClassifyContext {
  isPrivatePath: (path: string) => boolean;
  /** per commit: why it cannot go public (secrets, identifiers), already phrased */
  blockers: ReadonlyMap<string, readonly string[]>;
  holdMessages: readonly RegExp[];
  privateTrailers: readonly string[];
  isPrivateCommitId: (hex: string) => boolean;
  split: boolean;
  /** per commit: public paths it writes that stay in the mirror (sync.hold, private workflows), with why */
  heldPaths?: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/**
 * Decides what sync-up does with each candidate, with the reason shown in the
 * plan. Pure: every fact (secrets found, upstream state) is gathered beforehand.
 */
export function classifyCommit(commit: Candidate, context: ClassifyContext): Classified {
  const result = (cls: CommitClass, reasons: string[], dropPaths: string[] = []): Classified => ({
    oid: commit.oid,
    subject: commit.subject,
    class: cls,
    reasons,
    replay: cls === 'public' || (cls === 'mixed' && context.split),
    dropPaths,
    publicMessage: publicMessage(commit.message, context),
  });

  const held = context.holdMessages.find((re) => re.test(commit.message));
  if (held) return result('private', [`its message matches sync.holdMessages /${held.source}/`]);

  const blockers = [...(context.blockers.get(commit.oid) ?? [])];
  for (const entry of commit.entries) {
    if ((entry.status === 'R' || entry.status === 'C') && entry.fromPath && context.isPrivatePath(entry.fromPath) && !context.isPrivatePath(entry.path)) {
      blockers.push(`${entry.status === 'R' ? 'renames' : 'copies'} private ${entry.fromPath} to public ${entry.path}, carrying private content into a public path`);
    }
  }
  if (blockers.length > 0) return result('blocked', blockers);

  if (commit.entries.length === 0) return result('empty', ['changes nothing']);

  const privatePaths = new Set<string>();
  const publicPaths = new Set<string>();
  const heldHere = context.heldPaths?.get(commit.oid) ?? new Map<string, string>();
  const heldReasons = [...heldHere].map(([path, why]) => `holds back ${path}: ${why}`);
  for (const entry of commit.entries) {
    (context.isPrivatePath(entry.path) || heldHere.has(entry.path) ? privatePaths : publicPaths).add(entry.path);
    // a rename out of a public path deletes that path publicly
    if (entry.fromPath && entry.status === 'R') (context.isPrivatePath(entry.fromPath) ? privatePaths : publicPaths).add(entry.fromPath);
  }
  if (publicPaths.size === 0) return result('private', [`touches only private paths (${[...privatePaths].slice(0, 3).join(', ')}${privatePaths.size > 3 ? ', …' : ''})`, ...heldReasons]);
  if (privatePaths.size === 0) return result('public', ['touches only public paths']);
  const reason = `touches ${publicPaths.size} public and ${privatePaths.size} private path(s)`;
  return context.split
    ? result('mixed', [`${reason}: only the public paths are replayed`, ...heldReasons], [...privatePaths])
    : result('mixed', [`${reason}: held back (--no-split)`, ...heldReasons], [...privatePaths]);
}

/** A replayable commit whose change is already upstream is not replayed. */
export function markUpstream(classified: Classified, reason: string | undefined): Classified {
  if (!reason || !classified.replay) return classified;
  return { ...classified, class: 'upstream', reasons: [reason], replay: false, dropPaths: [] };
}
