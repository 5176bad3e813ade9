import type { Classified } from './types.js';

const subjectOf = (message: string) => message.split('\n')[0]!.trim();

/**
 * Title and body for the upstream pull request: the included commits by public
 * title, and only a count of what was held back (no titles, no ids).
 */
export function pullRequestText(commits: readonly Classified[]): { title: string; body: string } {
  const included = commits.filter((commit) => commit.replay);
  const heldBack = commits.filter((commit) => !commit.replay && commit.class !== 'upstream' && commit.class !== 'empty').length;
  const title = included.length === 1 ? subjectOf(included[0]!.publicMessage) : `Sync from mirror: ${included.length} commits`;
  const lines = [
    `This pull request carries ${included.length} commit${included.length === 1 ? '' : 's'} proposed from a private mirror by \`mirror sync-up\`:`,
    '',
    ...included.map((commit) => `- ${subjectOf(commit.publicMessage)}${commit.class === 'mixed' ? ' (public part)' : ''}`),
    '',
    heldBack > 0
      ? `${heldBack} other commit${heldBack === 1 ? ' was' : 's were'} held back (private to the mirror).`
      : 'No commit was held back.',
    '',
    'Every commit passed the same guard as the pre-push hook: no private path, no secret, no private identifier.',
  ];
  return { title, body: `${lines.join('\n')}\n` };
}
