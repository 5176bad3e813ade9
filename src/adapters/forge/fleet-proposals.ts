import type { PullFacts } from '../../core/fleet/proposals.js';
import { repoApiPath, type ClientOptions } from './common.js';
import type { EtagStore } from './etag-store.js';
import { headBranch } from './fleet-facts.js';
import { createFleetGetter, type RequestTally } from './fleet-get.js';
import type { ForgeKind, RepoRef } from './types.js';

/** An open pull request of the upstream, as `mirror fleet proposals` needs it. */
export interface OpenPullFact extends PullFacts {
  base: string;
  author: string | undefined;
}

/** Pages of open pull requests until a short page: GitHub gives 100 a page, Forgejo 50. */
export async function listOpenPulls(kind: ForgeKind, client: ClientOptions, repo: RepoRef, options: { etags?: EtagStore; maxPages?: number } = {}): Promise<{ pulls: OpenPullFact[]; requests: RequestTally }> {
  const { get, tally } = await createFleetGetter(kind, client, options);
  const path = `${repoApiPath(repo)}/pulls`;
  const size = kind === 'github' ? 100 : 50;
  type End = { ref?: string; label?: string; repo?: { owner?: { login?: string } } | null };
  type Pull = { number: number; html_url: string; title?: string; body?: string | null; head: End; base: End; created_at?: string; user?: { login?: string } | null };
  const pulls: OpenPullFact[] = [];
  for (let page = 1; page <= (options.maxPages ?? 20); page++) {
    const query: Record<string, string> = kind === 'github' ? { state: 'open', per_page: String(size), page: String(page) } : { state: 'open', limit: String(size), page: String(page) };
    const { data } = await get<Pull[]>(path, query);
    const list = Array.isArray(data) ? data : [];
    for (const pull of list) {
      pulls.push({
        number: pull.number,
        url: pull.html_url,
        title: pull.title ?? '',
        body: pull.body ?? '',
        head: headBranch(kind, pull.head),
        // GitHub's label is `owner:branch` even once the fork is gone
        headOwner: pull.head.repo?.owner?.login ?? (pull.head.label?.includes(':') ? pull.head.label.slice(0, pull.head.label.indexOf(':')) : undefined),
        base: headBranch(kind, pull.base),
        createdAt: pull.created_at ?? '',
        author: pull.user?.login ?? undefined,
      });
    }
    if (list.length < size) break;
  }
  return { pulls: pulls.sort((a, b) => a.number - b.number), requests: tally };
}
