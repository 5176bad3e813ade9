import { sameName, splitHead, summariseRunners, type ClientOptions } from './common.js';
import { isForgeError } from './http.js';
import { createOctokitClient } from './octokit-client.js';
import type {
  FeatureState,
  Forge,
  NewPullRequest,
  PullRequest,
  PullRequestChanges,
  PullRequestTarget,
  RepoRef,
  RepositoryFacts,
  SelfHostedRunners,
} from './types.js';

/* The fields read from GitHub's JSON; everything else is ignored. */
interface GitHubBranchEnd {
  ref: string;
  label?: string;
  user?: { login?: string } | null;
  repo?: { owner?: { login?: string } | null } | null;
}
interface GitHubPull {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
  merged?: boolean;
  merged_at?: string | null;
  head: GitHubBranchEnd;
  base: GitHubBranchEnd;
}

function headOwnerOf(end: GitHubBranchEnd): string | undefined {
  if (end.repo?.owner?.login) return end.repo.owner.login;
  if (end.label?.includes(':')) return end.label.slice(0, end.label.indexOf(':'));
  return end.user?.login ?? undefined;
}

export function pullFromGitHub(data: GitHubPull): PullRequest {
  return {
    number: data.number,
    url: data.html_url,
    head: data.head.ref,
    headOwner: headOwnerOf(data.head),
    base: data.base.ref,
    title: data.title,
    body: data.body ?? '',
    state: data.state === 'open' ? 'open' : 'closed',
    merged: data.merged === true || Boolean(data.merged_at),
  };
}

function featureState(section: { status?: string } | undefined | null, visible: boolean): FeatureState {
  if (!visible) return 'unknown';
  if (!section || typeof section.status !== 'string') return 'unavailable';
  return section.status === 'enabled' ? 'enabled' : 'disabled';
}

/** GitHub and GitHub Enterprise through Octokit (octokit-client.ts loads it on first use). */
export async function createGitHubForge(options: ClientOptions): Promise<Forge> {
  const { octokit } = await createOctokitClient(options);

  const findOpenPullRequest = async (repo: RepoRef, target: PullRequestTarget): Promise<PullRequest | undefined> => {
    const head = splitHead(target.head, repo.owner);
    // GitHub ignores a `head` filter without an owner, so always send `owner:branch`
    const { data } = await octokit.rest.pulls.list({
      owner: repo.owner,
      repo: repo.name,
      state: 'open',
      head: `${head.owner}:${head.branch}`,
      base: target.base,
      per_page: 100,
    });
    return (data as unknown as GitHubPull[])
      .map(pullFromGitHub)
      .find((pull) => pull.state === 'open' && pull.head === head.branch && sameName(pull.headOwner, head.owner) && pull.base === target.base);
  };

  return {
    kind: 'github',
    apiUrl: options.apiUrl,

    findOpenPullRequest,

    async createPullRequest(repo, pull: NewPullRequest) {
      try {
        const { data } = await octokit.rest.pulls.create({
          owner: repo.owner,
          repo: repo.name,
          title: pull.title,
          body: pull.body,
          head: pull.head,
          base: pull.base,
        });
        return pullFromGitHub(data as unknown as GitHubPull);
      } catch (error) {
        // 422 "A pull request already exists for owner:branch." (e.g. a retried create that had succeeded)
        if (isForgeError(error) && error.status === 422 && /already exists/i.test(error.serverMessage ?? '')) {
          const existing = await findOpenPullRequest(repo, pull);
          if (existing) return existing;
        }
        throw error;
      }
    },

    async updatePullRequest(repo, number, changes: PullRequestChanges) {
      const { data } = await octokit.rest.pulls.update({
        owner: repo.owner,
        repo: repo.name,
        pull_number: number,
        ...(changes.title !== undefined ? { title: changes.title } : {}),
        ...(changes.body !== undefined ? { body: changes.body } : {}),
      });
      return pullFromGitHub(data as unknown as GitHubPull);
    },

    async repository(repo): Promise<RepositoryFacts> {
      const { data } = await octokit.rest.repos.get({ owner: repo.owner, repo: repo.name });
      // security_and_analysis is only returned to admins (and security managers)
      const security = (data as { security_and_analysis?: Record<string, { status?: string } | null> | null }).security_and_analysis;
      const visible = security !== undefined && security !== null;
      const visibility = data.visibility === 'internal' ? 'internal' : data.private ? 'private' : 'public';
      return {
        owner: data.owner.login,
        name: data.name,
        url: data.html_url,
        private: data.private,
        visibility,
        defaultBranch: data.default_branch,
        archived: data.archived,
        fork: data.fork,
        secretScanning: featureState(security?.secret_scanning, visible),
        pushProtection: featureState(security?.secret_scanning_push_protection, visible),
      };
    },

    async branchProtected(repo, branch) {
      // `protected` on the branch covers classic protection and rulesets and needs only read
      // access; `/branches/{branch}/protection` needs admin and says 404 for ruleset-only branches
      try {
        const { data } = await octokit.rest.repos.getBranch({ owner: repo.owner, repo: repo.name, branch });
        return data.protected === true;
      } catch (error) {
        if (isForgeError(error) && error.status === 403) return 'unknown';
        throw error;
      }
    },

    async selfHostedRunners(repo): Promise<SelfHostedRunners | 'unknown'> {
      try {
        const runners: Array<{ name: string; labels?: Array<{ name: string }> }> = [];
        let total = 0;
        for (let page = 1; page <= 10; page++) {
          const { data } = await octokit.rest.actions.listSelfHostedRunnersForRepo({
            owner: repo.owner,
            repo: repo.name,
            per_page: 100,
            page,
          });
          total = data.total_count;
          runners.push(...data.runners);
          if (data.runners.length < 100 || runners.length >= total) break;
        }
        return summariseRunners(Math.max(total, runners.length), runners);
      } catch (error) {
        // needs admin rights on the repository: a plain token is refused
        if (isForgeError(error) && (error.status === 403 || error.status === 404)) return 'unknown';
        throw error;
      }
    },
  };
}
