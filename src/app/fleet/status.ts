import { createHash } from 'node:crypto';
import { fileEtagStore, type EtagStore } from '../../adapters/forge/etag-store.js';
import { readFleetForgeFacts } from '../../adapters/forge/fleet-facts.js';
import type { RequestTally } from '../../adapters/forge/fleet-get.js';
import { ghAuthToken, resolveForgeSettings, resolveToken, tokenVariables } from '../../adapters/forge/connect.js';
import { retryPolicyFromEnv } from '../../adapters/forge/http.js';
import { FleetCache, mirrorNamespace, UPSTREAM_NAMESPACE, type FetchOutcome } from '../../adapters/git/fleet-cache.js';
import { driftPaths, judgeDrift, POLICY_FILE, type DriftReport } from '../../core/fleet/drift.js';
import { judgeMirror, summarise, type ForgeFacts, type FleetSummary, type GitFacts, type MirrorVerdict } from '../../core/fleet/verdict.js';
import { redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import type { FleetMirror } from '../../fleet/types.js';
import { etagDir, fleetCacheDir } from './cache-dir.js';
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
  /** `requests`: the forge requests this mirror cost (at most three), of which `notModified` were 304s answered from the ETag store */
  mirrors: (MirrorVerdict & { url: string; forgeKind: string; requests: RequestTally })[];
  summary: FleetSummary & { requests: number; notModified: number };
}

export async function fleetStatus(request: FleetStatusRequest): Promise<FleetStatus> {
  const env = request.env ?? process.env;
  const labels = request.labels ?? [];
  const { place, fleet, mirrors } = await openFleet(request, labels);
  const cacheDir = fleetCacheDir(request.cwd, place, request.cache);
  const etags = fileEtagStore(etagDir(cacheDir));

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
    const [{ git, drift }, { forge, requests }] = await Promise.all([
      fetches.then((outcomes) => gitFacts(cache, mirror, outcomes[index]!, upstreamRef)),
      forgeFacts(mirror, env, ghToken, etags),
    ]);
    const verdict = judgeMirror(
      { name: mirror.name, labels: mirror.labels, branch: mirror.defaultBranch, git, forge, ...(drift ? { drift } : {}) },
      { maxBehind: request.maxBehind, judgeDrift: mirror.expect !== undefined, driftLevel: mirror.expect?.level },
    );
    request.onProgress?.(++done, mirrors.length, mirror.name);
    return { ...verdict, url: redactUrl(mirror.url), forgeKind: mirror.forge, requests };
  });
  return {
    file: place.fleetFile,
    upstream: { url: redactUrl(fleet.upstream.url), branch: fleet.upstream.branch, tip: upstreamTip },
    cache: cacheDir,
    labels,
    mirrors: verdicts,
    summary: {
      ...summarise(verdicts),
      requests: verdicts.reduce((sum, row) => sum + row.requests.requests, 0),
      notModified: verdicts.reduce((sum, row) => sum + row.requests.notModified, 0),
    },
  };
}

async function gitFacts(cache: FleetCache, mirror: FleetMirror, fetched: FetchOutcome, upstreamRef: string): Promise<{ git: GitFacts; drift?: DriftReport }> {
  if (!fetched.ok) return { git: { state: 'unreachable', error: fetched.error } };
  if (!fetched.found) return { git: { state: 'no-branch', branch: mirror.defaultBranch } };
  const ref = `${mirrorNamespace(mirror.name)}/heads/${mirror.defaultBranch}`;
  const facts = await cache.mirrorFacts(ref, upstreamRef);
  const conflicts = facts.behind > 0 ? await cache.mergeConflicts(ref, upstreamRef) : [];
  const git: GitFacts = { state: 'ok', ...facts, ...(conflicts.length > 0 ? { conflicts } : {}) };
  // the blobs are in the cache already: drift costs no forge request
  const files = await cache.readFiles(ref, driftPaths(mirror.forge));
  const policy = files.get(POLICY_FILE);
  const policyHash = policy === undefined ? undefined : `sha256:${createHash('sha256').update(policy.replace(/\r\n/g, '\n')).digest('hex')}`;
  return { git, drift: judgeDrift({ forge: mirror.forge, branch: mirror.defaultBranch, files, policyHash }, mirror.expect) };
}

async function forgeFacts(
  mirror: FleetMirror,
  env: NodeJS.ProcessEnv,
  ghToken: (host: string, env: NodeJS.ProcessEnv) => Promise<string | undefined>,
  etags: EtagStore,
): Promise<{ forge: ForgeFacts; requests: RequestTally }> {
  const none: RequestTally = { requests: 0, notModified: 0 };
  let settings;
  try {
    settings = resolveForgeSettings(mirror.url, { kind: mirror.forge, apiUrl: mirror.apiUrl, env });
  } catch {
    return { forge: { state: 'skipped', reason: 'the URL names no forge repository' }, requests: none };
  }
  const token = await resolveToken(settings, { env, ghToken });
  if (!token) return { forge: { state: 'skipped', reason: `no token (${tokenVariables(settings, env).join(', ') || 'FORGEJO_TOKEN'} unset)` }, requests: none };
  const tally: RequestTally = { requests: 0, notModified: 0 };
  try {
    const { requests, ...facts } = await readFleetForgeFacts(
      settings.kind,
      { apiUrl: settings.apiUrl, token: token.token, retry: retryPolicyFromEnv(env) },
      { owner: settings.location.owner, name: settings.location.name },
      { etags, tally },
    );
    return { forge: { state: 'ok', ...facts }, requests };
  } catch (error) {
    return { forge: { state: 'error', error: error instanceof Error ? error.message : String(error) }, requests: tally };
  }
}
