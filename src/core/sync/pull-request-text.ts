import type { Classified } from './types.js';

/** The words every sync-up pull request body carries: how `mirror fleet proposals` knows one. */
export const SYNC_UP_BODY_MARK = 'proposed from a private mirror by `mirror sync-up`';

const subjectOf = (message: string) => message.split('\n')[0]!.trim();

/** What the pull request can list, fixed when the run is planned (saved with the run). */
export interface PullRequestPlan {
  /** the commits to be replayed, by public title */
  commits: { oid: string; title: string; mixed: boolean }[];
  /** commits the plan held back (private, blocked, mixed with --no-split) */
  heldBack: number;
}

export function pullRequestPlan(commits: readonly Classified[]): PullRequestPlan {
  return {
    commits: commits.filter((commit) => commit.replay).map((commit) => ({ oid: commit.oid, title: subjectOf(commit.publicMessage), mixed: commit.class === 'mixed' })),
    heldBack: commits.filter((commit) => !commit.replay && commit.class !== 'upstream' && commit.class !== 'empty').length,
  };
}

/** What became of a planned commit: on the branch, left out by `mirror skip` (held back), or found already upstream. */
export type Outcome = 'included' | 'held-back' | 'upstream';

/**
 * Title and body for the upstream pull request: the commits the branch carries
 * by public title, and only a count of what was held back (no titles, no ids),
 * a commit left out with `mirror skip` included.
 */
export function pullRequestText(plan: PullRequestPlan, outcome: (oid: string) => Outcome = () => 'included'): { title: string; body: string } {
  const included = plan.commits.filter((commit) => outcome(commit.oid) === 'included');
  const heldBack = plan.heldBack + plan.commits.filter((commit) => outcome(commit.oid) === 'held-back').length;
  const title = included.length === 1 ? included[0]!.title : `Sync from mirror: ${included.length} commits`;
  const lines = [
    `This pull request carries ${included.length} commit${included.length === 1 ? '' : 's'} ${SYNC_UP_BODY_MARK}:`,
    '',
    ...included.map((commit) => `- ${commit.title}${commit.mixed ? ' (public part)' : ''}`),
    '',
    heldBack > 0
      ? `${heldBack} other commit${heldBack === 1 ? ' was' : 's were'} held back (private to the mirror).`
      : 'No commit was held back.',
    '',
    'Every commit passed the same guard as the pre-push hook: no private path, no secret, no private identifier.',
  ];
  return { title, body: `${lines.join('\n')}\n` };
}
