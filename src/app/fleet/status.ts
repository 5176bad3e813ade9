import { isAbsolute, join, resolve } from 'node:path';
import { readFleetForgeFacts } from '../../adapters/forge/fleet-facts.js';
import { ghAuthToken, resolveForgeSettings, resolveToken, tokenVariables } from '../../adapters/forge/connect.js';
import { retryPolicyFromEnv } from '../../adapters/forge/http.js';
import { FleetCache, mirrorNamespace, UPSTREAM_NAMESPACE, type FetchOutcome } from '../../adapters/git/fleet-cache.js';
import { judgeMirror, summarise, type ForgeFacts, type FleetSummary, type GitFacts, type MirrorVerdict } from '../../core/fleet/verdict.js';
import { redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import type { FleetMirror } from '../../fleet/types.js';
import { openFleet, type ControlRequest } from './control.js';
import { mapPool } from './pool.js';

export interface FleetStatusRequest extends ControlRequest {
  jobs?: number;
  labels?: string[];
  /** `--cache DIR`; default `<git dir>/mirror/fleet-cache` of the control checkout */
  cache?: string;
  maxBehind?: number;
  env?: NodeJS.ProcessEnv;
  /** called as each mirror finishes, for live progress */
  onProgress?: (done: number, total: number, name: string) => void;
}

export interface FleetStatus {
  file: string;
  upstream: { url: string; branch: string; tip: string };
  cache: string;
  labels: string[];
  mirrors: (MirrorVerdict & { url: string; forgeKind: string })[];
  summary: FleetSummary;
}

export async function fleetStatus(request: FleetStatusRequest): Promise<FleetStatus> {
  const env = request.env ?? process.env;
  const labels = request.labels ?? [];
  const { place, fleet, mirrors } = await openFleet(request, labels);
  const cacheDir = request.cache
    ? isAbsolute(request.cache) ? request.cache : resolve(request.cwd, request.cache)
    : place.repo ? join(place.repo.info.commonDir, 'mirror', 'fleet-cache') : undefined;
  if (!cacheDir) throw new MirrorError('fleet-no-cache', 'outside a git checkout, say where the shared fetch cache lives', { suggestions: ['pass --cache DIR'] });

  const cache = await FleetCache.open(cacheDir);
  const upstreamRef = `${UPSTREAM_NAMESPACE}/heads/${fleet.upstream.branch}`;
  const upstream = await cache.fetchBranch(fleet.upstream.url, fleet.upstream.branch, UPSTREAM_NAMESPACE);
  const upstreamTip = upstream.ok && upstream.found ? await cache.tip(upstreamRef) : undefined;
  if (!upstream.ok || !upstreamTip) {
    throw new MirrorError('fleet-upstream-unreachable', `cannot read the upstream ${redactUrl(fleet.upstream.url)} branch ${fleet.upstream.branch}: ${upstream.ok ? 'no such branch' : upstream.error}`, {
      exitCode: ExitCode.violations,
    });
  }

  const ghTokens = new Map<string, Promise<string | undefined>>();
  const ghToken = (host: string, e: NodeJS.ProcessEnv) => {
    if (!ghTokens.has(host)) ghTokens.set(host, ghAuthToken(host, e));
    return ghTokens.get(host)!;
  };
  let done = 0;
  const jobs = request.jobs ?? 4;
  // every mirror fetched by git in a few processes; the forge is asked meanwhile
  const fetches = cache.fetchMany(mirrors.map((mirror) => ({ url: mirror.url, branch: mirror.defaultBranch, namespace: mirrorNamespace(mirror.name) })), jobs);
  const verdicts = await mapPool(mirrors, jobs, async (mirror, index) => {
    const [git, forge] = await Promise.all([fetches.then((outcomes) => gitFacts(cache, mirror, outcomes[index]!, upstreamRef)), forgeFacts(mirror, env, ghToken)]);
    const verdict = judgeMirror({ name: mirror.name, labels: mirror.labels, branch: mirror.defaultBranch, git, forge }, { maxBehind: request.maxBehind });
    request.onProgress?.(++done, mirrors.length, mirror.name);
    return { ...verdict, url: redactUrl(mirror.url), forgeKind: mirror.forge };
  });
  return {
    file: place.fleetFile,
    upstream: { url: redactUrl(fleet.upstream.url), branch: fleet.upstream.branch, tip: upstreamTip },
    cache: cacheDir,
    labels,
    mirrors: verdicts,
    summary: summarise(verdicts),
  };
}

async function gitFacts(cache: FleetCache, mirror: FleetMirror, fetched: FetchOutcome, upstreamRef: string): Promise<GitFacts> {
  if (!fetched.ok) return { state: 'unreachable', error: fetched.error };
  if (!fetched.found) return { state: 'no-branch', branch: mirror.defaultBranch };
  const ref = `${mirrorNamespace(mirror.name)}/heads/${mirror.defaultBranch}`;
  return { state: 'ok', ...(await cache.mirrorFacts(ref, upstreamRef)) };
}

async function forgeFacts(mirror: FleetMirror, env: NodeJS.ProcessEnv, ghToken: (host: string, env: NodeJS.ProcessEnv) => Promise<string | undefined>): Promise<ForgeFacts> {
  let settings;
  try {
    settings = resolveForgeSettings(mirror.url, { kind: mirror.forge, apiUrl: mirror.apiUrl, env });
  } catch {
    return { state: 'skipped', reason: 'the URL names no forge repository' };
  }
  const token = await resolveToken(settings, { env, ghToken });
  if (!token) return { state: 'skipped', reason: `no token (${tokenVariables(settings, env).join(', ') || 'FORGEJO_TOKEN'} unset)` };
  try {
    const facts = await readFleetForgeFacts(settings.kind, { apiUrl: settings.apiUrl, token: token.token, retry: retryPolicyFromEnv(env) }, { owner: settings.location.owner, name: settings.location.name });
    return { state: 'ok', ...facts };
  } catch (error) {
    return { state: 'error', error: error instanceof Error ? error.message : String(error) };
  }
}
