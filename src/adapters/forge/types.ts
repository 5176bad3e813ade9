/**
 * What `mirror` asks of a forge (GitHub, GitHub Enterprise, Forgejo, Gitea), in
 * domain words. Adapters map the forges' JSON to these plain values; callers never
 * see Octokit or HTTP types.
 */

export type ForgeKind = 'github' | 'forgejo';

/** A repository on a forge, as `owner/name`. */
export interface RepoRef {
  owner: string;
  name: string;
}

export interface PullRequest {
  number: number;
  /** the page a person opens (html url) */
  url: string;
  /** the head branch name, without owner */
  head: string;
  /** owner of the head repository (a fork's owner, or the repository's own); undefined when that repository is gone */
  headOwner: string | undefined;
  /** the base branch name */
  base: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  merged: boolean;
}

/** Which pull request: `head` is `branch`, or `owner:branch` for a branch in a fork. */
export interface PullRequestTarget {
  head: string;
  base: string;
}

export interface NewPullRequest extends PullRequestTarget {
  title: string;
  body: string;
}

export interface PullRequestChanges {
  title?: string;
  body?: string;
}

/**
 * A security feature's state: `unavailable` when the forge has no such feature
 * (Forgejo has no secret scanning), `unknown` when the token may not see it.
 */
export type FeatureState = 'enabled' | 'disabled' | 'unavailable' | 'unknown';

export interface RepositoryFacts {
  /** as the forge spells them */
  owner: string;
  name: string;
  url: string;
  private: boolean;
  /** `internal` exists on GitHub Enterprise and Forgejo (visible to every signed-in user); it is also private */
  visibility: 'public' | 'private' | 'internal';
  defaultBranch: string;
  archived: boolean;
  fork: boolean;
  secretScanning: FeatureState;
  pushProtection: FeatureState;
}

export interface SelfHostedRunners {
  count: number;
  /** distinct label names, sorted */
  labels: string[];
  names: string[];
}

/** Unknown: the token may not see the answer (403), or this forge version cannot tell. */
export type Unknown = 'unknown';

export interface Forge {
  readonly kind: ForgeKind;
  /** the API base the requests go to, e.g. `https://api.github.com` */
  readonly apiUrl: string;
  /** The open pull request from `head` into `base`, if there is one. */
  findOpenPullRequest(repo: RepoRef, target: PullRequestTarget): Promise<PullRequest | undefined>;
  /** Opens a pull request; if the forge says one is already open for head and base, returns that one. */
  createPullRequest(repo: RepoRef, pull: NewPullRequest): Promise<PullRequest>;
  updatePullRequest(repo: RepoRef, number: number, changes: PullRequestChanges): Promise<PullRequest>;
  repository(repo: RepoRef): Promise<RepositoryFacts>;
  /** Whether pushes to the branch are restricted (classic protection or rulesets); throws forge-not-found for a missing branch. */
  branchProtected(repo: RepoRef, branch: string): Promise<boolean | Unknown>;
  /** Runners registered on the repository itself (not organisation or instance runners). */
  selfHostedRunners(repo: RepoRef): Promise<SelfHostedRunners | Unknown>;
}
