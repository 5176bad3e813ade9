import { sameName, splitHead, summariseRunners, type ClientOptions } from './common.js';
import { createForgejoRequester, encodeSegments, type Query } from './forgejo-request.js';
import { isForgeError } from './http.js';
import type { Forge, PullRequest, PullRequestTarget, RepoRef, RepositoryFacts, SelfHostedRunners } from './types.js';

/*
 * Forgejo and Gitea (`/api/v1`), through forgejo-request.ts. Their pull-request endpoints
 * look like GitHub's but differ in details that matter here:
 * - `head.label` is the bare branch name (GitHub: `owner:branch`), and `head.ref`
 *   becomes `refs/pull/N/head` once the head branch is gone;
 * - the list has no `head`/`base` filter, so open pull requests are paged through;
 * - creating a duplicate answers 409 (GitHub: 422); editing answers 201 (GitHub: 200);
 * - pagination is `page` + `limit` (at most 50 by default), with `X-Total-Count`;
 * - the runner list is a plain array (Forgejo) or `{ runners, total_count }` (Gitea).
 */

interface ForgejoBranchEnd {
  label?: string;
  ref?: string;
  repo?: { full_name?: string; owner?: { login?: string; username?: string } | null } | null;
}
interface ForgejoPull {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  merged?: boolean;
  head: ForgejoBranchEnd;
  base: ForgejoBranchEnd;
}
interface ForgejoRepository {
  name: string;
  owner: { login?: string; username?: string };
  html_url: string;
  private: boolean;
  internal?: boolean;
  default_branch: string;
  archived?: boolean;
  fork?: boolean;
}

function branchName(end: ForgejoBranchEnd): string {
  if (end.label) return end.label;
  return (end.ref ?? '').replace(/^refs\/heads\//, '');
}

export function pullFromForgejo(data: ForgejoPull): PullRequest {
  const owner = data.head.repo?.owner;
  return {
    number: data.number,
    url: data.html_url,
    head: branchName(data.head),
    headOwner: owner?.login ?? owner?.username ?? undefined,
    base: branchName(data.base),
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'open' ? 'open' : 'closed',
    merged: data.merged === true,
  };
}

const PAGE = 50;
const MAX_PAGES = 40;

export async function createForgejoForge(options: ClientOptions): Promise<Forge> {
  const requester = createForgejoRequester(options);
  const call = async <T>(method: string, segments: ReadonlyArray<string>, query: Query = {}, body?: unknown) =>
    requester.call<T>(method, encodeSegments(segments), query, body);

  const repoPath = (repo: RepoRef) => ['repos', repo.owner, repo.name];

  const findOpenPullRequest = async (repo: RepoRef, target: PullRequestTarget): Promise<PullRequest | undefined> => {
    const head = splitHead(target.head, repo.owner);
    for (let page = 1; page <= MAX_PAGES; page++) {
      const { data } = await call<ForgejoPull[]>('GET', [...repoPath(repo), 'pulls'], { state: 'open', page, limit: PAGE });
      const pulls = Array.isArray(data) ? data : [];
      const match = pulls
        .map(pullFromForgejo)
        .find((pull) => pull.state === 'open' && pull.head === head.branch && sameName(pull.headOwner, head.owner) && pull.base === target.base);
      if (match) return match;
      if (pulls.length < PAGE) break;
    }
    return undefined;
  };

  return {
    kind: 'forgejo',
    apiUrl: options.apiUrl,

    findOpenPullRequest,

    async createPullRequest(repo, pull) {
      try {
        const { data } = await call<ForgejoPull>('POST', [...repoPath(repo), 'pulls'], {}, {
          title: pull.title,
          body: pull.body,
          head: pull.head,
          base: pull.base,
        });
        return pullFromForgejo(data);
      } catch (error) {
        // 409 "pull request already exists for these targets"
        if (isForgeError(error) && error.status === 409) {
          const existing = await findOpenPullRequest(repo, pull);
          if (existing) return existing;
        }
        throw error;
      }
    },

    async updatePullRequest(repo, number, changes) {
      const body: Record<string, string> = {};
      if (changes.title !== undefined) body.title = changes.title;
      if (changes.body !== undefined) body.body = changes.body;
      const { data } = await call<ForgejoPull>('PATCH', [...repoPath(repo), 'pulls', String(number)], {}, body);
      return pullFromForgejo(data);
    },

    async repository(repo): Promise<RepositoryFacts> {
      const { data } = await call<ForgejoRepository>('GET', repoPath(repo));
      const internal = data.internal === true;
      return {
        owner: data.owner.login ?? data.owner.username ?? repo.owner,
        name: data.name,
        url: data.html_url,
        // internal: only signed-in users of the instance can see it, so not public
        private: data.private || internal,
        visibility: data.private ? 'private' : internal ? 'internal' : 'public',
        defaultBranch: data.default_branch,
        archived: data.archived === true,
        fork: data.fork === true,
        secretScanning: 'unavailable',
        pushProtection: 'unavailable',
      };
    },

    async branchProtected(repo, branch) {
      try {
        const { data } = await call<{ protected?: boolean }>('GET', [...repoPath(repo), 'branches', branch]);
        return data.protected === true;
      } catch (error) {
        if (isForgeError(error) && error.status === 403) return 'unknown';
        throw error;
      }
    },

    async selfHostedRunners(repo): Promise<SelfHostedRunners | 'unknown'> {
      type Runner = { name?: string; labels?: Array<string | { name?: string }> };
      try {
        const runners: Runner[] = [];
        let total: number | undefined;
        for (let page = 1; page <= MAX_PAGES; page++) {
          const { data, headers } = await call<Runner[] | { runners?: Runner[]; total_count?: number }>(
            'GET',
            [...repoPath(repo), 'actions', 'runners'],
            { page, limit: PAGE },
          );
          const batch = Array.isArray(data) ? data : (data?.runners ?? []);
          const counted = Array.isArray(data) ? Number(headers['x-total-count'] ?? null) /* missing: 0, as before */ : Number(data?.total_count);
          if (Number.isFinite(counted) && counted >= 0) total = counted;
          runners.push(...batch);
          if (batch.length < PAGE || (total !== undefined && runners.length >= total)) break;
        }
        return summariseRunners(Math.max(total ?? 0, runners.length), runners);
      } catch (error) {
        // older Forgejo/Gitea have no runner API (404); listing needs repository admin rights (403)
        if (isForgeError(error) && (error.status === 403 || error.status === 404 || error.status === 405)) return 'unknown';
        throw error;
      }
    },
  };
}
