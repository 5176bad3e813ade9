import type { Candidate, ChangeEntry } from './types.js';

export interface UpstreamFacts {
  /** commits `git cherry` finds patch-equivalent upstream (rebase or cherry-pick merges) */
  patchEquivalent: ReadonlySet<string>;
  /** commits whose published copy (from our notes) is reachable from upstream/main */
  publishedMerged: ReadonlySet<string>;
  /** `<mode> <oid>` of each path in upstream/main's tree */
  upstreamEntry: (path: string) => string | undefined;
  isPrivatePath: (path: string) => boolean;
  /** commits published together by one earlier sync-up (same branch tip), oldest first */
  groups: readonly (readonly string[])[];
}

const isZero = (oid: string) => /^0+$/.test(oid);

/** Public post-images of a commit: path → `<mode> <oid>`, or undefined for a deletion. */
function publicEffects(entries: readonly ChangeEntry[], isPrivatePath: (path: string) => boolean): Map<string, string | undefined> {
  const effects = new Map<string, string | undefined>();
  for (const entry of entries) {
    if (entry.fromPath && entry.status === 'R' && !isPrivatePath(entry.fromPath)) effects.set(entry.fromPath, undefined);
    if (isPrivatePath(entry.path)) continue;
    effects.set(entry.path, entry.status === 'D' || isZero(entry.newOid) ? undefined : `${entry.newMode} ${entry.newOid}`);
  }
  return effects;
}

function holdsIn(effects: Map<string, string | undefined>, state: (path: string) => string | undefined): boolean {
  if (effects.size === 0) return false;
  for (const [path, entry] of effects) if (state(path) !== entry) return false;
  return true;
}

/**
 * Which replayable candidates are already upstream, and why. "Applying it changes
 * nothing" is judged against the public state as replay would leave it (upstream
 * plus the earlier replays), so a mirror commit that reverts an earlier one is
 * not mistaken for merged work. That test recognises squash merges, which rewrite
 * commit ids and patch ids alike; a group published together is checked on its
 * end result first, because a squash merge only shows the group's final state.
 */
export function alreadyUpstream(candidates: readonly Candidate[], replayable: (oid: string) => boolean, facts: UpstreamFacts): Map<string, string> {
  const reasons = new Map<string, string>();
  const byOid = new Map(candidates.map((candidate) => [candidate.oid, candidate]));

  for (const group of facts.groups) {
    const members = group.map((oid) => byOid.get(oid)).filter((member): member is Candidate => member !== undefined && replayable(member.oid));
    if (members.length === 0) continue;
    const final = new Map<string, string | undefined>();
    for (const member of members) for (const [path, state] of publicEffects(member.entries, facts.isPrivatePath)) final.set(path, state);
    if (holdsIn(final, facts.upstreamEntry)) {
      for (const member of members) reasons.set(member.oid, 'published earlier with its group, whose end result is in upstream/main (squash merge)');
    }
  }

  const replayed = new Map<string, string | undefined>();
  const current = (path: string) => (replayed.has(path) ? replayed.get(path) : facts.upstreamEntry(path));
  for (const candidate of candidates) {
    if (!replayable(candidate.oid) || reasons.has(candidate.oid)) continue;
    const effects = publicEffects(candidate.entries, facts.isPrivatePath);
    if (facts.publishedMerged.has(candidate.oid)) reasons.set(candidate.oid, 'its published copy is part of upstream/main');
    else if (facts.patchEquivalent.has(candidate.oid)) reasons.set(candidate.oid, 'an identical change (same patch id) is in upstream/main');
    else if (holdsIn(effects, current)) reasons.set(candidate.oid, 'applying it changes nothing: upstream/main already has its public changes');
    else for (const [path, state] of effects) replayed.set(path, state);
  }
  return reasons;
}
