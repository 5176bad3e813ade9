import { isAbsolute, relative } from 'node:path';
import { createZoneMatcher } from '../../core/zones.js';
import { connectForge, isForgeError, tokenVariables, type ForgeKind, type ForgeOptions } from '../../adapters/forge/index.js';
import { Repository } from '../../adapters/git/repository.js';
import { auditWorkflows, type WorkflowSource } from '../../core/audit/classify.js';
import {
  behindCheck,
  branchCheck,
  DEFAULT_MAX_BEHIND_COMMITS,
  DEFAULT_MAX_BEHIND_DAYS,
  doctorExitCode,
  featureCheck,
  gitignoreCheck,
  hookCheck,
  originPrivateCheck,
  pausedCheck,
  policyCheck,
  pushUrlsCheck,
  type RemoteUrlFacts,
  publicSideCheck,
  pullRequestTargetCheck,
  runnerLanesCheck,
  runnersCheck,
  summarise,
  upstreamRemoteCheck,
  type DoctorCheck,
  type DoctorRole,
  type DoctorSummary,
  type PublicWorkflows,
  type Side,
  type SideAccess,
} from '../../core/doctor/index.js';
import { SECRET_SAMPLES, TRACKED_SAMPLES } from '../../core/init/gitignore.js';
import { classifyPush, classifyRemote, redactUrl, type CompiledRemotes } from '../../core/remotes.js';
import { ExitCode, isMirrorError, MirrorError, type ErrorDetail } from '../../errors.js';
import { describePaused, loadRunState } from '../../program/state.js';
import { readDefaultPolicy, readRepositoryPolicy } from '../../policy/load.js';
import { resolvePolicy } from '../../policy/resolve.js';
import type { CompiledPolicy } from '../../policy/compiled.js';
import { WORKFLOW_DIRECTORIES } from '../audit/workflows.js';
import { classifyTarget } from '../remote-class.js';
import { hookState } from '../hooks/install.js';

export interface DoctorRequest {
  cwd: string;
  policyFile?: string;
  env?: NodeJS.ProcessEnv;
  /** `--forge` */
  forge?: ForgeKind;
  /** `--api-url` */
  apiUrl?: string;
  maxBehindCommits?: number;
  maxBehindDays?: number;
  /** the clock (tests) */
  now?: Date;
  /** forge client settings (tests: `ghToken`, `retry`) */
  forgeOptions?: Pick<ForgeOptions, 'ghToken' | 'retry' | 'timeoutMs' | 'sleep'>;
}

export interface ForgeConnectionInfo {
  remote: string;
  side: 'mirror' | 'public';
  kind?: ForgeKind;
  apiUrl?: string;
  repository?: string;
  /** where the token came from (never the token) */
  tokenSource?: string;
  /** why the forge could not be asked about this remote: its checks are skipped */
  problem?: { reason: string; fix: string };
}

export interface DoctorReport {
  role: DoctorRole;
  root: string;
  /** the remotes the checks are about */
  remotes: { mirror?: string; public: string };
  connections: ForgeConnectionInfo[];
  checks: DoctorCheck[];
  summary: DoctorSummary;
  exitCode: 0 | 1;
}

/** Zones whose files are local secrets: never tracked, on either side. */
const SECRET_ZONES = new Set(['dotenv', 'key-material']);
const MAX_WORKFLOW_BYTES = 1024 * 1024;

/**
 * Checks the pattern's guardrails: local ones from git and the policy, forge ones
 * through the forge's API (skipped with a warning without a token). Never
 * changes anything.
 */
export async function runDoctor(request: DoctorRequest): Promise<DoctorReport> {
  const env = request.env ?? process.env;
  const opened = await Repository.open(request.cwd);
  const root = opened.info.root;
  if (root === undefined) {
    throw new MirrorError('doctor-bare', 'mirror doctor needs a working tree; this repository is bare', { exitCode: ExitCode.usage, suggestions: ['run it in a clone'] });
  }
  const repo = await Repository.open(root);

  // the policy: the repository's when valid, else the defaults (so the other checks still run)
  const defaults = readDefaultPolicy();
  const own = readRepositoryPolicy(root, request.policyFile);
  const resolution = await resolvePolicy(defaults, own);
  let policyErrors: ErrorDetail[] = [];
  let compiled: CompiledPolicy;
  if (resolution.ok) compiled = resolution.compiled;
  else {
    policyErrors = resolution.errors;
    const fallback = await resolvePolicy(defaults);
    if (!fallback.ok) throw new MirrorError('policy-invalid', 'the shipped default policy is invalid', { exitCode: ExitCode.internal, details: fallback.errors });
    compiled = fallback.compiled;
  }
  const { upstreamRemote, mirrorRemote, branch } = compiled.sync;

  const originUrl = await configuredUrl(repo, mirrorRemote);
  const upstreamUrl = await configuredUrl(repo, upstreamRemote);
  const originClass = originUrl === undefined ? undefined : await classifyTarget(compiled.remotes, repo, mirrorRemote);
  const role: DoctorRole =
    !explicitlyPublic(compiled.remotes, mirrorRemote, originUrl) && (originClass?.class === 'private' || upstreamUrl !== undefined) ? 'mirror' : 'public';

  // ---- local -----------------------------------------------------------------------
  const checks: DoctorCheck[] = [];
  checks.push(hookCheck({ 'pre-push': await hookState(repo, 'pre-push'), 'pre-commit': await hookState(repo, 'pre-commit') }));
  if (role === 'mirror') {
    const upstreamRef = `refs/remotes/${upstreamRemote}/${branch}`;
    checks.push(
      upstreamRemoteCheck({
        name: upstreamRemote,
        branch,
        url: upstreamUrl === undefined ? undefined : redactUrl(upstreamUrl),
        classification: upstreamUrl === undefined ? undefined : await classifyTarget(compiled.remotes, repo, upstreamRemote),
        fetched: (await repo.commitOf(upstreamRef)) !== undefined,
      }),
    );
  }
  checks.push(pushUrlsCheck(await remoteUrlFacts(repo, compiled.remotes)));
  checks.push(policyCheck({ role, file: own ? shown(root, own.file) : undefined, errors: policyErrors.map((error) => ({ ...error, ...(error.file ? { file: shown(root, error.file) } : {}) })), origin: originClass, originName: mirrorRemote }));
  checks.push(await gitignoreFacts(repo, compiled, role));
  if (role === 'mirror') checks.push(await behind(repo, request, upstreamRemote, branch));
  checks.push(paused(repo));

  // ---- forge -----------------------------------------------------------------------
  const connections: ForgeConnectionInfo[] = [];
  const publicRemote = role === 'mirror' ? upstreamRemote : mirrorRemote;
  const inspect = (remote: string, side: 'mirror' | 'public') =>
    inspectSide(repo, remote, side, request, env).then(({ access, info }) => {
      connections.push(access.ok ? info : { ...info, problem: { reason: access.reason, fix: access.fix } });
      return { remote, side, access } satisfies Side;
    });
  const [publicSide, mirrorSide] = await Promise.all([inspect(publicRemote, 'public'), role === 'mirror' ? inspect(mirrorRemote, 'mirror') : undefined]);
  const sides = mirrorSide ? [publicSide, mirrorSide] : [publicSide];
  connections.sort((a, b) => (a.side === b.side ? 0 : a.side === 'mirror' ? -1 : 1));
  const workflows = await publicWorkflows(repo, role === 'mirror' ? [`${upstreamRemote}/${branch}`] : [`${mirrorRemote}/${branch}`, 'HEAD']);

  if (mirrorSide) checks.push(originPrivateCheck(mirrorSide));
  checks.push(publicSideCheck(publicSide));
  checks.push(featureCheck('secretScanning', sides));
  checks.push(featureCheck('pushProtection', sides));
  checks.push(branchCheck(sides));
  checks.push(runnersCheck(publicSide, workflows));
  checks.push(pullRequestTargetCheck(workflows));
  checks.push(runnerLanesCheck(workflows));

  return {
    role,
    root,
    remotes: { ...(role === 'mirror' ? { mirror: mirrorRemote } : {}), public: publicRemote },
    connections,
    checks,
    summary: summarise(checks),
    exitCode: doctorExitCode(checks),
  };
}

async function remoteUrlFacts(repo: Repository, remotes: CompiledRemotes): Promise<RemoteUrlFacts[]> {
  const known = await repo.remoteUrls();
  return known.map((remote) => ({
    name: remote.name,
    fetch: classifyPush(remotes, known, remote.name, remote.fetch),
    push: classifyPush(remotes, known, remote.name, remote.push),
    pushUrls: remote.push.map(redactUrl),
  }));
}

/** A path as the user thinks of it: relative to the repository root when inside it. */
function shown(root: string, file: string): string {
  const path = relative(root, file);
  return path === '' || path.startsWith('..') || isAbsolute(path) ? file : path;
}

/** A remote's URL as configured (before `insteadOf`): it names the repository on the forge. */
async function configuredUrl(repo: Repository, remote: string): Promise<string | undefined> {
  const result = await repo.git(['config', '--get', `remote.${remote}.url`], { okCodes: [1] });
  const url = result.stdout.toString('utf8').trim();
  return url === '' ? undefined : url;
}

/**
 * Whether a public entry of the policy names the remote (not merely "unlisted, so
 * public"): `mirror init --public` writes one. Classifying against the public
 * entries alone, put in the private slot, answers exactly that.
 */
function explicitlyPublic(remotes: CompiledRemotes, name: string, url: string | undefined): boolean {
  return url !== undefined && classifyRemote({ private: remotes.public, public: [] }, name, url).class === 'private';
}

// ---- gitignore-secrets ----------------------------------------------------------------

async function gitignoreFacts(repo: Repository, policy: CompiledPolicy, role: DoctorRole): Promise<DoctorCheck> {
  // only the repository's shared rules count: a personal global excludes file does not protect teammates
  const ignored = async (paths: readonly string[]) => {
    const result = await repo.git(['-c', 'core.excludesFile=/dev/null', 'check-ignore', '--no-index', '--stdin', '-z'], { input: paths.map((path) => `${path}\0`).join(''), okCodes: [1] });
    return new Set(result.stdout.toString('utf8').split('\0').filter(Boolean));
  };
  const secret = await ignored(SECRET_SAMPLES);
  const mustTrack = role === 'mirror' ? TRACKED_SAMPLES : TRACKED_SAMPLES.filter((path) => !path.startsWith('private/') && !path.includes('.local.'));
  const tracked = await ignored(mustTrack);

  const inZone = createZoneMatcher(policy.zones.filter((zone) => SECRET_ZONES.has(zone.name)));
  const files = (await repo.git(['ls-files', '-z', '--full-name'])).stdout.toString('utf8').split('\0').filter(Boolean);
  const secretFiles = files.flatMap((path) => {
    const hit = inZone(path);
    return hit ? [{ path, zone: hit.zone }] : [];
  });
  return gitignoreCheck({
    role,
    notIgnored: SECRET_SAMPLES.filter((path) => !secret.has(path)),
    wronglyIgnored: mustTrack.filter((path) => tracked.has(path)),
    tracked: secretFiles,
  });
}

// ---- behind-upstream -------------------------------------------------------------------

async function behind(repo: Repository, request: DoctorRequest, upstreamRemote: string, branch: string): Promise<DoctorCheck> {
  const upstreamRef = `${upstreamRemote}/${branch}`;
  const upstream = await repo.commitOf(`refs/remotes/${upstreamRef}`);
  const head = await repo.commitOf(`refs/heads/${branch}`);
  const facts = {
    upstreamRef,
    branch,
    now: request.now ?? new Date(),
    maxCommits: request.maxBehindCommits ?? DEFAULT_MAX_BEHIND_COMMITS,
    maxDays: request.maxBehindDays ?? DEFAULT_MAX_BEHIND_DAYS,
  };
  if (!upstream || !head) return behindCheck({ ...facts, behind: undefined, oldest: undefined, missing: head ? 'upstream' : 'branch' });
  const dates = (await repo.text(['log', '--format=%ct', `${head}..${upstream}`, '--'])).split('\n').filter(Boolean).map(Number);
  const oldest = dates.length > 0 ? new Date(dates.reduce((a, b) => Math.min(a, b)) * 1000) : undefined;
  return behindCheck({ ...facts, behind: dates.length, oldest });
}

// ---- no-paused-run ----------------------------------------------------------------------

function paused(repo: Repository): DoctorCheck {
  try {
    const state = loadRunState<{ op: string }, unknown>(repo.info.commonDir);
    if (!state) return pausedCheck({});
    return pausedCheck({ paused: { description: describePaused(state), hints: state.paused?.hints ?? ['mirror continue, or mirror abort'] } });
  } catch (error) {
    return pausedCheck({ error: error instanceof Error ? error.message : String(error) });
  }
}

// ---- forge ---------------------------------------------------------------------------------

/**
 * `--forge` and `--api-url` name one forge; the two remotes may live on two (a
 * public project on github.com, a mirror on the customer's Forgejo). They apply to
 * a remote on the API URL's host (`--forge` alone: to every remote except
 * github.com ones, unless it says github); any other remote is resolved from its
 * URL and the environment (GITHUB_API_URL when the CI runs on that host).
 */
function forgeOptionsFor(remoteUrl: string, request: DoctorRequest): Pick<ForgeOptions, 'kind' | 'apiUrl'> {
  const remoteHost = remoteHostOf(remoteUrl);
  if (!request.apiUrl) {
    // `--forge forgejo` is about the customer's forge, never github.com
    const gitHub = remoteHost === 'github.com' || remoteHost?.endsWith('.ghe.com') === true;
    return request.forge && !(gitHub && request.forge !== 'github') ? { kind: request.forge } : {};
  }
  const apiHost = hostOf(request.apiUrl);
  if (apiHost === undefined || remoteHost === undefined || apiHost === remoteHost || apiHost === `api.${remoteHost}`) {
    return { apiUrl: request.apiUrl, ...(request.forge ? { kind: request.forge } : {}) };
  }
  return {};
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

function remoteHostOf(url: string): string | undefined {
  const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)/.exec(url);
  if (scp && !/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return scp[1]!.toLowerCase();
  return hostOf(url);
}

async function inspectSide(
  repo: Repository,
  remote: string,
  side: 'mirror' | 'public',
  request: DoctorRequest,
  env: NodeJS.ProcessEnv,
): Promise<{ access: SideAccess; info: ForgeConnectionInfo }> {
  const info: ForgeConnectionInfo = { remote, side };
  const url = await configuredUrl(repo, remote);
  if (url === undefined) return { access: { ok: false, reason: `there is no "${remote}" remote`, fix: `git remote add ${remote} URL` }, info };
  return inspectForgeSide(url, remote, side, { ...forgeOptionsFor(url, request), env, ...request.forgeOptions });
}

/**
 * What the forge says about the repository at `url`: its facts, the default
 * branch's protection and (public side) its runners; or why it could not be asked.
 * Shared with `mirror fleet doctor`, which has URLs from the fleet file, not remotes.
 */
export async function inspectForgeSide(url: string, remote: string, side: 'mirror' | 'public', options: ForgeOptions & { env: NodeJS.ProcessEnv }): Promise<{ access: SideAccess; info: ForgeConnectionInfo }> {
  const info: ForgeConnectionInfo = { remote, side };
  const { env } = options;
  let connection;
  try {
    connection = await connectForge(url, options);
  } catch (error) {
    return { access: failed(error, `${remote} (${redactUrl(url)}) is not on a forge mirror doctor can ask`), info };
  }
  Object.assign(info, { kind: connection.kind, apiUrl: connection.apiUrl, repository: `${connection.repo.owner}/${connection.repo.name}` });
  if (connection.tokenSource === undefined) {
    const variables = tokenVariables(connection, env);
    const how = [...variables, ...(connection.kind === 'github' ? ['`gh auth login`'] : [])];
    return {
      access: { ok: false, reason: `no API token for ${connection.location.host}`, fix: `give doctor a token with read access (admin for runners and security settings): ${how.join(', ') || '--forge/--api-url first'}` },
      info,
    };
  }
  info.tokenSource = connection.tokenSource;
  const { forge } = connection;
  try {
    const facts = await forge.repository(connection.repo);
    const [protectedDefault, runners] = await Promise.all([
      forge.branchProtected(connection.repo, facts.defaultBranch).catch((error: unknown) => {
        if (isForgeError(error) && error.status === 404) return 'missing' as const;
        throw error;
      }),
      side === 'public' ? forge.selfHostedRunners(connection.repo) : Promise.resolve('unknown' as const),
    ]);
    return { access: { ok: true, kind: connection.kind, repo: facts, protectedDefault, runners }, info };
  } catch (error) {
    return { access: failed(error, `the ${connection.kind} API could not answer for ${remote}`), info };
  }
}

function failed(error: unknown, fallback: string): SideAccess {
  if (isMirrorError(error)) return { ok: false, reason: redactUrl(error.message), fix: error.suggestions.join('; ') || fallback };
  return { ok: false, reason: `${fallback}: ${error instanceof Error ? error.message : String(error)}`, fix: 'run again with MIRROR_DEBUG=1 to see more' };
}

// ---- the public side's workflows ------------------------------------------------------------

/**
 * The workflow files on the public side's branch, read from git (not the work
 * tree: a mirror's checkout has the mirror's workflows), classified by the audit.
 */
async function publicWorkflows(repo: Repository, candidates: string[]): Promise<PublicWorkflows> {
  for (const ref of candidates) {
    const commit = await repo.commitOf(ref === 'HEAD' ? 'HEAD' : `refs/remotes/${ref}`);
    if (!commit) continue;
    const dirs = WORKFLOW_DIRECTORIES.map((entry) => entry.dir);
    const listing = (await repo.git(['ls-tree', '-r', '-l', '-z', commit, '--', ...dirs])).stdout.toString('utf8');
    const sources: WorkflowSource[] = [];
    const found = new Set<string>();
    for (const record of listing.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      const [, type, oid, size] = record.slice(0, tab).trim().split(/\s+/);
      const path = record.slice(tab + 1);
      const directory = WORKFLOW_DIRECTORIES.find((entry) => path.startsWith(`${entry.dir}/`) && !path.slice(entry.dir.length + 1).includes('/'));
      if (type !== 'blob' || !directory || !/\.ya?ml$/i.test(path)) continue;
      found.add(directory.dir);
      if (Number(size) > MAX_WORKFLOW_BYTES) {
        sources.push({ file: path, platform: directory.platform, text: '', readError: `larger than ${MAX_WORKFLOW_BYTES} bytes: not parsed` });
        continue;
      }
      const text = (await repo.git(['cat-file', 'blob', oid!])).stdout.toString('utf8');
      sources.push({ file: path, platform: directory.platform, text });
    }
    return { ref, audit: auditWorkflows(sources, { root: ref, directories: [...found] }) };
  }
  return { ref: candidates[0]!, audit: undefined };
}
