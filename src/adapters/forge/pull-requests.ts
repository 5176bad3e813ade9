import type { ClientOptions } from './common.js';
import { readSyncPulls, type SyncPullFact } from './fleet-facts.js';
import type { Forge, ForgeKind, NewPullRequest, PullRequest, RepoRef } from './types.js';

export interface PullRequestOutcome {
  pullRequest: PullRequest;
  /** `unchanged`: an open one already had this title and body */
  action: 'created' | 'updated' | 'unchanged';
}

/**
 * One open pull request per head and base: updates the open one (title, body)
 * instead of opening a second. Re-running with nothing new is `unchanged`.
 */
export async function openOrUpdatePullRequest(forge: Forge, repo: RepoRef, pull: NewPullRequest): Promise<PullRequestOutcome> {
  const existing = await forge.findOpenPullRequest(repo, pull);
  if (!existing) return { pullRequest: await forge.createPullRequest(repo, pull), action: 'created' };
  const normalise = (text: string) => text.replace(/\r\n/g, '\n').trim();
  if (existing.title === pull.title && normalise(existing.body) === normalise(pull.body)) {
    return { pullRequest: existing, action: 'unchanged' };
  }
  const pullRequest = await forge.updatePullRequest(repo, existing.number, { title: pull.title, body: pull.body });
  return { pullRequest, action: 'updated' };
}

/** the head branches `mirror sync-down --ci` pushes on a protected branch: `mirror/sync-down-DATE-SHA` */
export const SYNC_DOWN_BRANCH_PREFIX = 'mirror/sync-down-';

/**
 * The open sync-down pull request of a mirror (the newest, should there be several),
 * found by its head branch's prefix: its name carries a date and a commit id the
 * caller cannot know in advance.
 */
export async function findOpenSyncDownPull(kind: ForgeKind, client: ClientOptions, repo: RepoRef): Promise<SyncPullFact | undefined> {
  const pulls = await readSyncPulls(kind, client, repo);
  return pulls.filter((pull) => pull.head.startsWith(SYNC_DOWN_BRANCH_PREFIX)).at(-1);
}
