import type { Target } from '../guard/types.js';
/** What a CI run checks, in the forge's own terms, before any git is involved. */
export type CiEvent =
  | { kind: 'pull-request'; base: string; head: string; number?: number }
  | { kind: 'push'; before: string; after: string; branch: string; created: boolean; forced: boolean; deleted: boolean }
  /**
   * `after` is what the ref now names: the tag object of an annotated tag in
   * Actions. GitLab only gives the tagged commit (`peeled`): the tag object is
   * then read from `refs/tags/<tag>`.
   */
  | { kind: 'tag'; tag: string; after: string; deleted: boolean; peeled?: boolean }
  | { kind: 'other'; name: string; head?: string };

export type CiProvider = 'github' | 'forgejo' | 'gitea' | 'gitlab' | 'none';

export interface CiContext {
  provider: CiProvider;
  event?: CiEvent;
  /**
   * The repository's default branch (payload `repository.default_branch`,
   * GitLab `CI_DEFAULT_BRANCH`): its own pushes are checked, so what it already
   * has is what a new branch or a tag does not have to answer for.
   */
  defaultBranch?: string;
  /** Actions: where the Markdown job summary goes */
  summaryFile?: string;
  /** Actions: workflow commands (annotations) are understood */
  annotations: boolean;
}

const isZero = (oid: string | undefined) => !oid || /^0+$/.test(oid);

interface PushPayload {
  ref?: string;
  before?: string;
  after?: string;
  created?: boolean;
  forced?: boolean;
  deleted?: boolean;
  repository?: { default_branch?: string };
}
interface PullPayload {
  number?: number;
  pull_request?: { base?: { sha?: string }; head?: { sha?: string } };
  merge_group?: { base_sha?: string; head_sha?: string };
}

/**
 * Reads the CI's description of the run: the Actions event payload
 * (GITHUB_EVENT_PATH; Forgejo and Gitea set the same variables) or GitLab's
 * merge-request and push variables. Pure apart from the payload text it is given.
 */
export function readCiContext(env: NodeJS.ProcessEnv, readPayload: (file: string) => string): CiContext {
  if (env.GITLAB_CI === 'true') return { provider: 'gitlab', event: gitlabEvent(env), defaultBranch: env.CI_DEFAULT_BRANCH || undefined, annotations: false };
  if (env.GITHUB_ACTIONS === 'true' || env.GITEA_ACTIONS === 'true' || env.FORGEJO_ACTIONS === 'true') {
    const provider: CiProvider = env.FORGEJO_ACTIONS === 'true' ? 'forgejo' : env.GITEA_ACTIONS === 'true' ? 'gitea' : 'github';
    const payload = env.GITHUB_EVENT_PATH ? (JSON.parse(readPayload(env.GITHUB_EVENT_PATH)) as PushPayload & PullPayload) : {};
    const defaultBranch = typeof payload.repository?.default_branch === 'string' && payload.repository.default_branch ? payload.repository.default_branch : undefined;
    return { provider, event: actionsEvent(env.GITHUB_EVENT_NAME ?? '', payload, env.GITHUB_SHA), defaultBranch, summaryFile: env.GITHUB_STEP_SUMMARY || undefined, annotations: true };
  }
  return { provider: 'none', annotations: false };
}

function actionsEvent(name: string, payload: PushPayload & PullPayload, sha: string | undefined): CiEvent {
  if (name === 'pull_request' || name === 'pull_request_target') {
    const base = payload.pull_request?.base?.sha;
    const head = payload.pull_request?.head?.sha;
    if (base && head) return { kind: 'pull-request', base, head, number: payload.number };
  }
  if (name === 'merge_group' && payload.merge_group?.base_sha && payload.merge_group.head_sha) {
    return { kind: 'pull-request', base: payload.merge_group.base_sha, head: payload.merge_group.head_sha };
  }
  if (name === 'push' && payload.ref && payload.after !== undefined) {
    const after = payload.after;
    const deleted = payload.deleted === true || isZero(after);
    if (payload.ref.startsWith('refs/tags/')) return { kind: 'tag', tag: payload.ref.slice('refs/tags/'.length), after, deleted };
    return {
      kind: 'push',
      before: payload.before ?? '',
      after,
      branch: payload.ref.replace(/^refs\/heads\//, ''),
      created: payload.created === true || isZero(payload.before),
      forced: payload.forced === true,
      deleted,
    };
  }
  return { kind: 'other', name, head: sha };
}

function gitlabEvent(env: NodeJS.ProcessEnv): CiEvent {
  const sha = env.CI_COMMIT_SHA ?? '';
  if (env.CI_PIPELINE_SOURCE === 'merge_request_event' && env.CI_MERGE_REQUEST_DIFF_BASE_SHA) {
    return { kind: 'pull-request', base: env.CI_MERGE_REQUEST_DIFF_BASE_SHA, head: sha, number: Number(env.CI_MERGE_REQUEST_IID) || undefined };
  }
  if (env.CI_COMMIT_TAG) return { kind: 'tag', tag: env.CI_COMMIT_TAG, after: sha, deleted: false, peeled: true };
  if (env.CI_PIPELINE_SOURCE === 'push' && env.CI_COMMIT_BRANCH) {
    const before = env.CI_COMMIT_BEFORE_SHA ?? '';
    // GitLab does not say whether a push was forced: the guard finds out from the
    // history (before not an ancestor of after, or rewritten away altogether).
    return { kind: 'push', before, after: sha, branch: env.CI_COMMIT_BRANCH, created: isZero(before), forced: false, deleted: false };
  }
  return { kind: 'other', name: env.CI_PIPELINE_SOURCE ?? 'unknown', head: sha || undefined };
}

export function describeEvent(event: CiEvent): string {
  switch (event.kind) {
    case 'pull-request':
      return `pull request${event.number ? ` #${event.number}` : ''} (${event.base.slice(0, 10)} → ${event.head.slice(0, 10)})`;
    case 'push':
      return `push to ${event.branch}${event.created ? ' (new branch)' : event.forced ? ' (force push)' : ''}`;
    case 'tag':
      return `tag ${event.tag}`;
    case 'other':
      return `${event.name || 'manual'} run`;
  }
}

/** The ref a CI event created or moved, as the push described it (nothing for a deletion or a pull request). */
export function pushedRefs(event: CiEvent): NonNullable<Target['refs']> {
  if (event.kind === 'push' && !event.deleted) {
    const ref = `refs/heads/${event.branch}`;
    return [{ local: ref, remote: ref, kind: event.created ? 'new' : 'update' }];
  }
  if (event.kind === 'tag' && !event.deleted) return [{ local: `refs/tags/${event.tag}`, remote: `refs/tags/${event.tag}`, kind: 'new' }];
  return [];
}
