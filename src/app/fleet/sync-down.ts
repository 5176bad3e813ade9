import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';
import type { ActionsRunsApi } from '../../adapters/forge/actions-runs-types.js';
import { ghAuthToken, resolveForgeSettings, resolveToken, tokenVariables } from '../../adapters/forge/connect.js';
import { SYNC_DOWN_WORKFLOW } from '../../adapters/forge/fleet-facts.js';
import { isForgeError, retryPolicyFromEnv, type Sleep } from '../../adapters/forge/http.js';
import { createForge, type ClientOptions, type Forge, type ForgeKind, type ForgeOptions, type RepoRef } from '../../adapters/forge/index.js';
import { findOpenSyncDownPull } from '../../adapters/forge/pull-requests.js';
import { judgeSync, parseResultLine, summariseSync, type FleetSyncSummary, type MirrorSyncFacts, type MirrorSyncVerdict } from '../../core/fleet/sync-down.js';
import { correlationIdFrom } from '../../core/run/correlate.js';
import { CORRELATION_INPUT } from '../../core/run/workflow-inputs.js';
import { redactUrl } from '../../core/remotes.js';
import { MirrorError } from '../../errors.js';
import type { FleetMirror } from '../../fleet/types.js';
import { dispatchAndIdentify, type IdentifiedRun } from '../run/dispatch.js';
import { watchMany, type WatchedRun, type WatchTarget } from '../run/watch.js';
import { openFleet, type ControlRequest } from './control.js';
import { mapPool } from './pool.js';
import { syncDownLocally } from './sync-down-local.js';

export interface FleetSyncDownRequest extends ControlRequest {
  jobs?: number;
  labels?: string[];
  /** run sync-down in working clones here instead of dispatching each mirror's workflow */
  local?: boolean;
  /** `--clones DIR` (with --local); default `<git dir>/mirror/fleet-clones` of the control checkout */
  clones?: string;
  /** how long to watch the dispatched runs (default 30 min) */
  timeoutMs?: number;
  intervalMs?: number;
  maxIntervalMs?: number;
  env?: NodeJS.ProcessEnv;
  /** tests: token look-up, retries, sleep */
  forgeOptions?: Pick<ForgeOptions, 'ghToken' | 'retry' | 'timeoutMs' | 'sleep'>;
  sleep?: Sleep;
  /** progress lines (dispatched, run state changes, each local mirror done) */
  onProgress?: (line: string) => void;
}

export type FleetSyncRow = MirrorSyncVerdict & { url: string; forgeKind: ForgeKind };

export interface FleetSyncDown {
  file: string;
  mode: 'dispatch' | 'local';
  upstream: { url: string; branch: string };
  /** with --local: where the clones are */
  clones?: string;
  labels: string[];
  mirrors: FleetSyncRow[];
  summary: FleetSyncSummary;
}

/**
 * `mirror fleet sync-down`: every selected mirror brought up to date with the
 * upstream, by its own mirror-sync-down workflow (dispatched, then all runs
 * watched in one loop) or, with `local`, by `mirror sync-down` in clones here.
 * Each mirror ends merged, up to date, with a pull request, in conflict (with the
 * files), failed or unreachable; none is left out.
 */
export async function fleetSyncDown(request: FleetSyncDownRequest): Promise<FleetSyncDown> {
  const labels = request.labels ?? [];
  const { place, fleet, mirrors } = await openFleet(request, labels);
  const base = { file: place.fleetFile, upstream: { url: redactUrl(fleet.upstream.url), branch: fleet.upstream.branch }, labels };
  const rows = (verdicts: MirrorSyncVerdict[]): FleetSyncRow[] =>
    verdicts.map((verdict, index) => ({ ...verdict, url: redactUrl(mirrors[index]!.url), forgeKind: mirrors[index]!.forge }));

  if (request.local) {
    const clones = request.clones
      ? isAbsolute(request.clones) ? request.clones : resolve(request.cwd, request.clones)
      : place.repo ? join(place.repo.info.commonDir, 'mirror', 'fleet-clones') : undefined;
    if (!clones) throw new MirrorError('fleet-no-clones', 'outside a git checkout, say where the working clones live', { suggestions: ['pass --clones DIR'] });
    const verdicts = await mapPool(mirrors, request.jobs ?? 4, async (mirror) => {
      const verdict = judgeSync(mirror.name, await syncDownLocally(mirror, fleet.upstream, clones));
      request.onProgress?.(`${mirror.name}: ${verdict.outcome}`);
      return verdict;
    });
    const mirrorsOut = rows(verdicts);
    return { ...base, mode: 'local', clones, mirrors: mirrorsOut, summary: summariseSync(mirrorsOut) };
  }

  const verdicts = await dispatchAndWatch(mirrors, request);
  const mirrorsOut = rows(verdicts);
  return { ...base, mode: 'dispatch', mirrors: mirrorsOut, summary: summariseSync(mirrorsOut) };
}

/** One forge client per API and token: mirrors on one forge share its rate limit, and so share its budget here. */
interface Client {
  kind: ForgeKind;
  options: ClientOptions;
  api: ActionsRunsApi;
  forge: Forge;
}

type Dispatched = { mirror: FleetMirror; client: Client; repo: RepoRef; run: IdentifiedRun };

async function dispatchAndWatch(mirrors: FleetMirror[], request: FleetSyncDownRequest): Promise<MirrorSyncVerdict[]> {
  const env = request.env ?? process.env;
  const clients = new Map<string, Promise<Client>>();
  const ghTokens = new Map<string, Promise<string | undefined>>();
  const ghToken = request.forgeOptions?.ghToken ?? ((host: string, e: NodeJS.ProcessEnv) => {
    if (!ghTokens.has(host)) ghTokens.set(host, ghAuthToken(host, e));
    return ghTokens.get(host)!;
  });
  const progress = request.onProgress ?? (() => {});

  // 1. dispatch every mirror's workflow (a few at a time); a mirror that cannot be dispatched has its answer now
  const first = await mapPool(mirrors, request.jobs ?? 4, async (mirror): Promise<Dispatched | MirrorSyncFacts> => {
    let settings;
    try {
      settings = resolveForgeSettings(mirror.url, { kind: mirror.forge, apiUrl: mirror.apiUrl, env });
    } catch {
      return { state: 'unreachable', error: 'the URL names no forge repository' };
    }
    const token = await resolveToken(settings, { env, ghToken });
    if (!token) return { state: 'unreachable', error: `no token to reach ${settings.apiUrl} (${tokenVariables(settings, env).join(', ') || 'FORGEJO_TOKEN'} unset)` };
    const key = `${settings.kind} ${settings.apiUrl} ${token.source}`;
    if (!clients.has(key)) clients.set(key, makeClient(settings.kind, { apiUrl: settings.apiUrl, token: token.token, retry: { ...retryPolicyFromEnv(env), ...request.forgeOptions?.retry }, ...(request.forgeOptions?.sleep ? { sleep: request.forgeOptions.sleep } : {}) }));
    const client = await clients.get(key)!;
    const repo = { owner: settings.location.owner, name: settings.location.name };
    try {
      const run = await dispatch(client, repo, mirror.defaultBranch, request);
      progress(`${mirror.name}: dispatched ${SYNC_DOWN_WORKFLOW} on ${mirror.defaultBranch}, run ${run.id} ${run.htmlUrl}`);
      return { mirror, client, repo, run };
    } catch (error) {
      return dispatchFailure(error, client, repo, mirror);
    }
  });

  // 2. watch every dispatched run in one poll loop
  const dispatched = first.filter((item): item is Dispatched => 'run' in item && 'client' in item);
  const targets: WatchTarget[] = dispatched.map((item) => ({ api: item.client.api, repo: item.repo, id: item.run.id }));
  const names = new Map(dispatched.map((item) => [item.run.id, item.mirror.name]));
  const watched = targets.length
    ? await watchMany(targets, {
        timeoutMs: request.timeoutMs ?? 30 * 60_000,
        // one mirror's run that cannot be read must not cost the others their answers
        endOnError: true,
        ...(request.intervalMs !== undefined ? { intervalMs: request.intervalMs } : {}),
        ...(request.maxIntervalMs !== undefined ? { maxIntervalMs: request.maxIntervalMs } : {}),
        ...(request.sleep ? { sleep: request.sleep } : {}),
        onProgress: (_runs, changes) => {
          for (const line of changes) progress(line.replace(/^run (\d+):/, (whole, id: string) => `${names.get(Number(id)) ?? whole}:`));
        },
      })
    : { runs: [] as WatchedRun[], timedOut: false };

  // 3. what each finished run did: its result line, and the pull request it opened
  const byRun = new Map(watched.runs.map((item, index) => [dispatched[index]!, item]));
  const facts = await mapPool(first, request.jobs ?? 4, async (item): Promise<MirrorSyncFacts> => {
    if (!('client' in item)) return item;
    const seen = byRun.get(item)!;
    const run = { id: item.run.id, conclusion: seen.run.conclusion, htmlUrl: seen.run.htmlUrl || item.run.htmlUrl };
    if (seen.error !== undefined) return { state: 'error', error: `run ${item.run.id} could not be followed: ${seen.error} ${item.run.htmlUrl}` };
    if (seen.verdict === 'running') return { state: 'timed-out', run };
    return { state: 'run', run, ...(await outcomeOf(item, seen)) };
  });
  return facts.map((fact, index) => judgeSync(mirrors[index]!.name, fact));
}

async function makeClient(kind: ForgeKind, options: ClientOptions): Promise<Client> {
  const api =
    kind === 'github'
      ? await (await import('../../adapters/forge/actions-runs.js')).createGitHubActionsRuns(options)
      : await (await import('../../adapters/forge/actions-runs-forgejo.js')).createForgejoActionsRuns(options);
  return { kind, options, api, forge: await createForge(kind, options) };
}

/**
 * Dispatches with a fresh correlation id (the generated workflow declares the
 * input and shows it in its run name, for forges that do not name the run); a
 * workflow written before that input existed refuses it, and is dispatched without.
 */
async function dispatch(client: Client, repo: RepoRef, ref: string, request: FleetSyncDownRequest): Promise<IdentifiedRun> {
  const correlationId = correlationIdFrom(randomBytes(4).toString('hex'), new Date());
  const options = { ...(request.sleep ? { sleep: request.sleep } : {}) };
  try {
    return await dispatchAndIdentify(client.api, repo, { workflow: SYNC_DOWN_WORKFLOW, ref, inputs: { [CORRELATION_INPUT]: correlationId }, correlationId }, options);
  } catch (error) {
    if (!(isForgeError(error) && error.status === 422 && /unexpected inputs|correlation_id/i.test(error.serverMessage ?? ''))) throw error;
    return dispatchAndIdentify(client.api, repo, { workflow: SYNC_DOWN_WORKFLOW, ref, inputs: {}, correlationId: undefined }, options);
  }
}

/** Why nothing runs for this mirror: the forge cannot be reached or has no such repository (unreachable), or refused (failed). */
async function dispatchFailure(error: unknown, client: Client, repo: RepoRef, mirror: FleetMirror): Promise<MirrorSyncFacts> {
  const message = error instanceof Error ? error.message : String(error);
  if (isForgeError(error) && (error.status === undefined || error.status >= 500)) return { state: 'unreachable', error: message };
  // a missing repository (or one hidden from this token) is unreachable; ask, rather than read it from the
  // dispatch's error: a Forgejo 404 there also means "no such endpoint" to the adapter
  const exists = await client.forge.repository(repo).then(
    () => true,
    (lookup: unknown) => (isForgeError(lookup) && lookup.status === 404 ? false : undefined),
  );
  if (exists === false) return { state: 'unreachable', error: `${repo.owner}/${repo.name} does not exist on ${client.options.apiUrl}, or the token cannot see it` };
  if (exists && isForgeError(error) && error.status === 404) {
    return { state: 'error', error: `no ${SYNC_DOWN_WORKFLOW} workflow on ${mirror.defaultBranch} of ${repo.owner}/${repo.name}: run \`mirror init\` in the mirror and push` };
  }
  return { state: 'error', error: message };
}

/** The result line from the run's job logs, and the open sync-down pull request when the run proposed one (or said nothing). */
async function outcomeOf(item: Dispatched, seen: WatchedRun): Promise<Pick<Extract<MirrorSyncFacts, { state: 'run' }>, 'result' | 'openPull'>> {
  const { api, kind, options } = item.client;
  const jobs = seen.jobs.some((job) => job.name === 'sync-down') ? seen.jobs.filter((job) => job.name === 'sync-down') : seen.jobs;
  let result;
  for (const job of jobs) {
    // a log that cannot be read leaves the run's conclusion to speak
    const log = await api.jobLog(item.repo, job.id).catch(() => '');
    result = parseResultLine(log) ?? result;
  }
  const wantsPull = seen.run.conclusion === 'success' && (!result || result.status === 'pull-request');
  const openPull = wantsPull ? await findOpenSyncDownPull(kind, options, item.repo).catch(() => undefined) : undefined;
  return { result, openPull };
}
