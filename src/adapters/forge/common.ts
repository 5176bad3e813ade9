import type { RetryPolicy, Sleep } from './http.js';
import type { RepoRef, SelfHostedRunners } from './types.js';

/** How an adapter reaches its forge. */
export interface ClientOptions {
  /** e.g. `https://api.github.com`, `https://ghe.example.com/api/v3`, `https://codeberg.org/api/v1` */
  apiUrl: string;
  /** undefined: anonymous requests (public data only, low rate limit) */
  token: string | undefined;
  retry?: RetryPolicy;
  /** per attempt; default 30 s */
  timeoutMs?: number;
  sleep?: Sleep;
}

export const USER_AGENT = 'mirror-cli';

/** `/repos/{owner}/{repo}`, the prefix of every repository endpoint on both forges. */
export function repoApiPath(repo: RepoRef): string {
  return `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
}

/** `owner:branch` → its parts; a bare branch belongs to `defaultOwner`. */
export function splitHead(head: string, defaultOwner: string): { owner: string; branch: string } {
  const colon = head.indexOf(':');
  return colon > 0 ? { owner: head.slice(0, colon), branch: head.slice(colon + 1) } : { owner: defaultOwner, branch: head };
}

/** Owner and repository names are case-insensitive on both forges. */
export function sameName(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.toLowerCase() === b.toLowerCase();
}

export function summariseRunners(
  count: number,
  runners: ReadonlyArray<{ name?: string; labels?: ReadonlyArray<string | { name?: string }> }>,
): SelfHostedRunners {
  const labels = new Set<string>();
  for (const runner of runners) {
    for (const label of runner.labels ?? []) {
      const name = typeof label === 'string' ? label : label.name;
      if (name) labels.add(name);
    }
  }
  return {
    count,
    labels: [...labels].sort(),
    names: runners.map((runner) => runner.name ?? '').filter(Boolean).sort(),
  };
}
