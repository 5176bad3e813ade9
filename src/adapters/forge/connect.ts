import { execFile } from 'node:child_process';
import { ExitCode, MirrorError } from '../../errors.js';
import { canonicalUrl, redactUrl } from '../../core/remotes.js';
import type { ClientOptions } from './common.js';
import { retryPolicyFromEnv, type RetryPolicy, type Sleep } from './http.js';
import type { Forge, ForgeKind, RepoRef } from './types.js';

/**
 * From a remote URL to a ready `Forge`: which forge (kind), where its API is,
 * which token to send. The adapters themselves are imported only here and only
 * when a connection is made, so importing this module costs nothing.
 *
 * Rules (first match wins):
 * - kind: the explicit option; github.com and *.ghe.com are GitHub; else the API
 *   URL (explicit, or the CI's `GITHUB_API_URL` when the CI runs on the remote's
 *   host) says it: `/api/v1` is Forgejo/Gitea, `/api/v3` or an `api.` host is
 *   GitHub; a CI job on that host with no hint is GitHub; anything else is an
 *   error asking for the kind.
 * - API URL: the explicit option; the CI's `GITHUB_API_URL` when the CI runs on
 *   the remote's host; else github.com → https://api.github.com, *.ghe.com →
 *   https://api.HOST, other GitHub → https://HOST/api/v3, Forgejo →
 *   https://HOST/api/v1 (http and a port are kept from an http(s) remote).
 * - token: see `resolveToken`. A token is only sent to the forge it was meant for.
 */

export interface RepoLocation extends RepoRef {
  /** lower-case host name, without port */
  host: string;
  /** where the forge's web pages live: scheme, host, port and any path prefix */
  webUrl: string;
}

export interface ForgeOptions {
  /** `--forge` */
  kind?: ForgeKind;
  /** `--api-url` */
  apiUrl?: string;
  /** a token given explicitly (tests, or a caller that already has one) */
  token?: string;
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
  /** `gh auth token --hostname HOST`; replaceable in tests */
  ghToken?: (host: string, env: NodeJS.ProcessEnv) => Promise<string | undefined>;
  /** overrides the defaults and MIRROR_FORGE_* variables */
  retry?: Partial<RetryPolicy>;
  timeoutMs?: number;
  sleep?: Sleep;
}

export interface ForgeSettings {
  kind: ForgeKind;
  apiUrl: string;
  location: RepoLocation;
}

export const FORGE_HINTS = {
  badRemote: 'use a URL such as https://github.com/OWNER/REPO, git@HOST:OWNER/REPO.git or ssh://git@HOST/OWNER/REPO.git',
  unknownKind: [
    'say which forge it is: --forge forgejo (Forgejo, Gitea) or --forge github (GitHub Enterprise Server)',
    'or give the API URL: --api-url https://HOST/api/v1 (Forgejo, Gitea) or https://HOST/api/v3 (GitHub Enterprise Server)',
  ],
  badApiUrl: 'give an http(s) URL such as https://HOST/api/v1',
} as const;

function looksLocal(url: string): boolean {
  return /^file:/i.test(url) || url.startsWith('/') || url.startsWith('.') || url.startsWith('~') || /^[a-z]:[\\/]/i.test(url);
}

/** `{ host, owner, name }` from an https, ssh or scp-style remote URL. */
export function parseRepoUrl(url: string): RepoLocation {
  const raw = url.trim();
  const segments = looksLocal(raw) ? [] : canonicalUrl(raw).split('/').filter(Boolean);
  const host = segments[0] ?? '';
  if (segments.length < 3 || !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/.test(host)) {
    throw new MirrorError('forge-bad-remote', `not a forge repository URL: ${redactUrl(raw)}`, {
      exitCode: ExitCode.usage,
      suggestions: [FORGE_HINTS.badRemote],
    });
  }
  const owner = segments[segments.length - 2]!;
  const name = segments[segments.length - 1]!;
  const prefix = segments.slice(1, -2).join('/');
  let origin = `https://${host}`;
  if (/^https?:\/\//i.test(raw)) {
    try {
      const parsed = new URL(raw);
      origin = `${parsed.protocol}//${parsed.host.toLowerCase()}`;
    } catch {
      // canonicalUrl understood it; keep https://host
    }
  }
  return { host, owner, name, webUrl: prefix ? `${origin}/${prefix}` : origin };
}

function hostOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function isGitHubDotCom(host: string): boolean {
  return host === 'github.com' || host.endsWith('.ghe.com');
}

/**
 * The CI's forge (GitHub, Forgejo and Gitea Actions all set GITHUB_SERVER_URL and
 * GITHUB_API_URL), but only when it is the remote's forge: a job on github.com
 * that talks to a Forgejo mirror must not use github.com's API or token there.
 */
function ciForgeFor(location: RepoLocation, env: NodeJS.ProcessEnv): { apiUrl: string | undefined } | undefined {
  const server = hostOf(env.GITHUB_SERVER_URL);
  const api = hostOf(env.GITHUB_API_URL);
  const matches = server === location.host || api === location.host || api === `api.${location.host}`;
  return matches ? { apiUrl: env.GITHUB_API_URL?.trim() || undefined } : undefined;
}

function kindFromApiUrl(apiUrl: string): ForgeKind | undefined {
  let parsed: URL;
  try {
    parsed = new URL(apiUrl);
  } catch {
    return undefined;
  }
  const path = parsed.pathname.replace(/\/+$/, '');
  if (path.endsWith('/api/v1')) return 'forgejo';
  if (path.endsWith('/api/v3') || parsed.hostname.startsWith('api.')) return 'github';
  return undefined;
}

function checkedApiUrl(apiUrl: string): string {
  const trimmed = apiUrl.trim().replace(/\/+$/, '');
  let parsed: URL | undefined;
  try {
    parsed = new URL(trimmed);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username || parsed.password) {
    throw new MirrorError('forge-bad-api-url', `not an API URL: ${redactUrl(apiUrl)}`, {
      exitCode: ExitCode.usage,
      suggestions: [FORGE_HINTS.badApiUrl],
    });
  }
  return trimmed;
}

export function resolveKind(location: RepoLocation, options: Pick<ForgeOptions, 'kind' | 'apiUrl' | 'env'> = {}): ForgeKind {
  if (options.kind) return options.kind;
  if (isGitHubDotCom(location.host)) return 'github';
  const env = options.env ?? process.env;
  const ci = ciForgeFor(location, env);
  const apiUrl = options.apiUrl ?? ci?.apiUrl;
  const fromApi = apiUrl ? kindFromApiUrl(apiUrl) : undefined;
  if (fromApi) return fromApi;
  if (ci) return 'github';
  throw new MirrorError('forge-unknown', `cannot tell which forge ${location.host} runs`, {
    exitCode: ExitCode.usage,
    suggestions: [...FORGE_HINTS.unknownKind],
  });
}

export function resolveApiUrl(location: RepoLocation, kind: ForgeKind, options: Pick<ForgeOptions, 'apiUrl' | 'env'> = {}): string {
  if (options.apiUrl) return checkedApiUrl(options.apiUrl);
  const ci = ciForgeFor(location, options.env ?? process.env);
  if (ci?.apiUrl) return checkedApiUrl(ci.apiUrl);
  if (kind === 'github') {
    if (location.host === 'github.com') return 'https://api.github.com';
    if (location.host.endsWith('.ghe.com')) return `https://api.${location.host}`;
    return `${location.webUrl}/api/v3`;
  }
  return `${location.webUrl}/api/v1`;
}

export function resolveForgeSettings(remoteUrl: string, options: Pick<ForgeOptions, 'kind' | 'apiUrl' | 'env'> = {}): ForgeSettings {
  const location = parseRepoUrl(remoteUrl);
  const kind = resolveKind(location, options);
  return { kind, apiUrl: resolveApiUrl(location, kind, options), location };
}

export interface TokenChoice {
  token: string;
  /** where it came from, safe to print: an environment variable's name, `gh auth token` or `option` */
  source: string;
}

/** The environment variables tried for a forge, in order. */
export function tokenVariables(settings: ForgeSettings, env: NodeJS.ProcessEnv = process.env): string[] {
  const { kind, location } = settings;
  const names: string[] = [];
  if (kind === 'forgejo') names.push('FORGEJO_TOKEN', 'GITEA_TOKEN');
  else if (!isGitHubDotCom(location.host)) names.push('GH_ENTERPRISE_TOKEN', 'GITHUB_ENTERPRISE_TOKEN');
  // GITHUB_TOKEN/GH_TOKEN belong to github.com (gh's convention), or to the forge a CI job runs on
  if ((kind === 'github' && isGitHubDotCom(location.host)) || ciForgeFor(location, env)) names.push('GITHUB_TOKEN', 'GH_TOKEN');
  return names;
}

/**
 * The token to send, or undefined (anonymous). Order: the explicit option; then
 * FORGEJO_TOKEN, GITEA_TOKEN (Forgejo) or GH_ENTERPRISE_TOKEN,
 * GITHUB_ENTERPRISE_TOKEN (GitHub Enterprise Server); then GITHUB_TOKEN, GH_TOKEN
 * for github.com / *.ghe.com or for the host a CI job runs on; then, for GitHub,
 * `gh auth token --hostname HOST`. The token stays in memory.
 */
export async function resolveToken(settings: ForgeSettings, options: Pick<ForgeOptions, 'token' | 'env' | 'ghToken'> = {}): Promise<TokenChoice | undefined> {
  if (options.token?.trim()) return { token: options.token.trim(), source: 'option' };
  const env = options.env ?? process.env;
  for (const name of tokenVariables(settings, env)) {
    const value = env[name]?.trim();
    if (value) return { token: value, source: name };
  }
  if (settings.kind === 'github') {
    const token = (await (options.ghToken ?? ghAuthToken)(settings.location.host, env))?.trim();
    if (token) return { token, source: 'gh auth token' };
  }
  return undefined;
}

/** `gh auth token --hostname HOST`: the GitHub CLI's stored login; absent or logged-out gh is fine. */
export function ghAuthToken(host: string, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      execFile(
        'gh',
        ['auth', 'token', '--hostname', host],
        { timeout: 5000, windowsHide: true, env: { ...env, GH_PROMPT_DISABLED: '1', NO_COLOR: '1' }, maxBuffer: 64 * 1024 },
        (error, stdout) => {
          if (error) return resolve(undefined);
          const token = String(stdout).trim();
          resolve(token && !/\s/.test(token) ? token : undefined);
        },
      ).on('error', () => resolve(undefined));
    } catch {
      resolve(undefined);
    }
  });
}

/** The adapter for a kind, imported on demand (Octokit only for GitHub). */
export async function createForge(kind: ForgeKind, client: ClientOptions): Promise<Forge> {
  if (kind === 'github') return (await import('./github.js')).createGitHubForge(client);
  return (await import('./forgejo.js')).createForgejoForge(client);
}

export interface ForgeConnection extends ForgeSettings {
  forge: Forge;
  repo: RepoRef;
  /** where the token came from (never the token), or undefined when anonymous */
  tokenSource: string | undefined;
}

/** Everything from a remote URL: settings, token, adapter. */
export async function connectForge(remoteUrl: string, options: ForgeOptions = {}): Promise<ForgeConnection> {
  const env = options.env ?? process.env;
  const settings = resolveForgeSettings(remoteUrl, { ...options, env });
  const token = await resolveToken(settings, { ...options, env });
  const forge = await createForge(settings.kind, {
    apiUrl: settings.apiUrl,
    token: token?.token,
    retry: { ...retryPolicyFromEnv(env), ...options.retry },
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  return {
    ...settings,
    forge,
    repo: { owner: settings.location.owner, name: settings.location.name },
    tokenSource: token?.source,
  };
}
