/**
 * Which open pull requests of the upstream are sync-up proposals, and which of
 * them propose the same change: pure, over patch ids the app computed with git.
 * Mirrors of one upstream often carry the same public fix (it went to each
 * customer first); each mirror's `mirror sync-up` then proposes it again.
 */

import { DEFAULT_BRANCH_NAMES } from '../sync/branch-name.js';
import { SYNC_UP_BODY_MARK } from '../sync/pull-request-text.js';

export interface PullFacts {
  number: number;
  url: string;
  title: string;
  body: string;
  /** the head branch, without owner */
  head: string;
  /** the head repository's owner (a fork's), undefined when that repository is gone */
  headOwner: string | undefined;
  createdAt: string;
}

/** A pull request with what git made of its head. */
export interface ProposalFacts extends PullFacts {
  /** why its head could not be read (the ref was not fetched); then it cannot be grouped */
  unreadable?: string;
  /** patch id of its whole change (merge base to head); undefined when it changes nothing */
  patchId: string | undefined;
  /** patch ids of its non-merge commits, oldest first */
  commits: { oid: string; patchId: string }[];
}

export interface MirrorPatches {
  name: string;
  /** patch ids of the mirror's own commits (upstream..mirror, non-merge) */
  patchIds: readonly string[];
}

export interface Proposal {
  number: number;
  url: string;
  title: string;
  /** `owner:branch` as the forge names it */
  head: string;
  createdAt: string;
  patchId: string | undefined;
  commits: number;
  /** mirrors of the fleet whose own history carries every commit of it (by patch id) */
  carriedBy: string[];
  unreadable?: string;
}

export interface ProposalGroup {
  patchId: string;
  /** the one to merge: the oldest (opened first; its review has started) */
  keep: number;
  /** the others, to close in favour of `keep` */
  close: number[];
  pulls: Proposal[];
  /** every mirror carrying the change */
  mirrors: string[];
}

export interface ProposalReport {
  /** the same change proposed more than once */
  groups: ProposalGroup[];
  /** proposed once */
  single: Proposal[];
  /** heads that could not be read, listed, never grouped */
  unreadable: Proposal[];
  summary: { pulls: number; groups: number; toClose: number; unreadable: number };
}

/**
 * Whether a pull request is one `mirror sync-up` opened: its body says so, or its
 * head is one of the branch names sync-up picks by default.
 */
export function isSyncUpPull(pull: Pick<PullFacts, 'head' | 'body'>): boolean {
  return pull.body.includes(SYNC_UP_BODY_MARK) || (DEFAULT_BRANCH_NAMES as readonly string[]).includes(pull.head);
}

const older = (a: Proposal, b: Proposal) => (a.createdAt === b.createdAt ? a.number - b.number : a.createdAt < b.createdAt ? -1 : 1);

export function groupProposals(pulls: readonly ProposalFacts[], mirrors: readonly MirrorPatches[]): ProposalReport {
  const sets = mirrors.map((mirror) => ({ name: mirror.name, ids: new Set(mirror.patchIds) }));
  const proposals = pulls.map((pull): Proposal => {
    const carriedBy =
      pull.commits.length === 0 ? [] : sets.filter((mirror) => pull.commits.every((commit) => mirror.ids.has(commit.patchId))).map((mirror) => mirror.name).sort();
    return {
      number: pull.number,
      url: pull.url,
      title: pull.title,
      head: pull.headOwner ? `${pull.headOwner}:${pull.head}` : pull.head,
      createdAt: pull.createdAt,
      patchId: pull.patchId,
      commits: pull.commits.length,
      carriedBy,
      ...(pull.unreadable !== undefined ? { unreadable: pull.unreadable } : {}),
    };
  });
  const unreadable = proposals.filter((pull) => pull.unreadable !== undefined);
  const byChange = new Map<string, Proposal[]>();
  const single: Proposal[] = [];
  for (const pull of proposals) {
    if (pull.unreadable !== undefined) continue;
    // a head with no change of its own (already upstream) groups with nothing
    if (pull.patchId === undefined) {
      single.push(pull);
      continue;
    }
    byChange.set(pull.patchId, [...(byChange.get(pull.patchId) ?? []), pull]);
  }
  const groups: ProposalGroup[] = [];
  for (const [patchId, members] of byChange) {
    if (members.length === 1) {
      single.push(members[0]!);
      continue;
    }
    const sorted = [...members].sort(older);
    groups.push({
      patchId,
      keep: sorted[0]!.number,
      close: sorted.slice(1).map((pull) => pull.number),
      pulls: sorted,
      mirrors: [...new Set(sorted.flatMap((pull) => pull.carriedBy))].sort(),
    });
  }
  groups.sort((a, b) => a.keep - b.keep);
  single.sort((a, b) => a.number - b.number);
  return {
    groups,
    single,
    unreadable,
    summary: { pulls: proposals.length, groups: groups.length, toClose: groups.reduce((sum, group) => sum + group.close.length, 0), unreadable: unreadable.length },
  };
}
