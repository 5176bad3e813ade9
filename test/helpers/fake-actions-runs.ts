/**
 * Actions runs on the fake forge: workflow dispatch (GitHub's 200 with
 * `return_run_details`, the older 204, an old server's 422 on the unknown key;
 * Forgejo's 201 with `return_run_info`, Gitea's 204), runs, jobs and artifacts
 * in the real JSON shapes, ETags (304) and rate-limit headers on reads, and a
 * separate storage server that downloads redirect to, which refuses any
 * Authorization header (the forge token must never reach it).
 *
 * A run advances one tick each time it is read (GET of the run): `queuedTicks`
 * reads queued, then `runningTicks` reads in progress, then completed. Its JSON
 * only changes when its state does, so unchanged reads answer 304.
 *
 * ```ts
 * const fake = await startFakeForge('github', { token });
 * const actions = await attachActionsRuns(fake);
 * actions.addWorkflow('acme/widgets', { file: 'experiment.yml', runName: 'experiment ${{ inputs.correlation_id }}', script: () => ({ conclusion: 'success', artifacts: [...] }) });
 * actions.seedRun('acme/widgets', 'mirror-sync-down.yml', { conclusion: 'failure', createdAt: '2026-03-03T00:00:00Z' }); // history, e.g. a scheduled run
 * ```
 *
 * GitHub's per-workflow runs list (`GET /repos/{o}/{r}/actions/workflows/{file}/runs`)
 * answers 404 for a workflow file the repository does not have. Forgejo before
 * its native runs list has no runs endpoints at all (`noRunsApi`).
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zipSync, strToU8 } from 'fflate';
import type { FakeForge, FakeRouteRequest } from './fake-forge.js';

export interface FakeJobScript {
  name: string;
  labels?: string[];
  runner?: string;
  steps?: string[];
  conclusion?: string;
  log?: string;
}

export interface FakeArtifactScript {
  name: string;
  /** path → content; zipped when served */
  files: Record<string, string>;
  expired?: boolean;
  /** serve a digest that does not match the bytes */
  wrongDigest?: boolean;
  /** GitHub Enterprise Server and Gitea give no digest */
  noDigest?: boolean;
}

export interface FakeRunScript {
  conclusion?: 'success' | 'failure' | 'cancelled' | 'timed_out';
  queuedTicks?: number;
  runningTicks?: number;
  /** never completes */
  stuck?: boolean;
  jobs?: FakeJobScript[];
  artifacts?: FakeArtifactScript[];
}

export interface FakeWorkflow {
  file: string;
  name?: string;
  /** GitHub's run-name, with `${{ inputs.x }}` evaluated from the dispatch's inputs */
  runName?: string;
  script?: (inputs: Record<string, string>) => FakeRunScript;
}

export interface FakeRun {
  id: number;
  number: number;
  repo: string;
  workflow: FakeWorkflow;
  inputs: Record<string, string>;
  ref: string;
  title: string;
  ticks: number;
  createdAt: string;
  script: FakeRunScript;
  /** how many more list requests must pass before the run shows in a list */
  hiddenFor: number;
  /** what started it: `workflow_dispatch` unless seeded otherwise */
  event: string;
  artifactIds: number[];
  jobIds: number[];
}

/** A run that happened before the test (not dispatched by it): already in its final state. */
export interface FakeRunSeed {
  status?: 'queued' | 'in_progress' | 'completed';
  conclusion?: 'success' | 'failure' | 'cancelled' | null;
  /** ISO date; default one second after the previous seeded run */
  createdAt?: string;
  branch?: string;
  /** default `schedule` */
  event?: string;
}

export type DispatchMode = 'details' | 'legacy' | 'refuse-key' | 'run-info' | 'gitea';

export interface FakeActionsOptions {
  /** GitHub: `details` (default), `legacy` (204), `refuse-key` (422 on return_run_details); Forgejo: `run-info` (default), `gitea` (204) */
  dispatch?: DispatchMode;
  /** Forgejo/Gitea without the runs, jobs and artifacts API (older versions) */
  noRunsApi?: boolean;
  /** list requests during which a new run is not listed yet */
  listLag?: number;
  /** requests per hour the rate-limit headers announce (default 5000, GitHub's for a token) */
  rateLimit?: number;
}

export interface StorageRequest {
  path: string;
  authorization: boolean;
}

export interface FakeActions {
  readonly storageUrl: string;
  readonly storageRequests: StorageRequest[];
  addWorkflow(fullName: string, workflow: FakeWorkflow): void;
  /** a run from before the test, in its final state (declares the workflow file if needed); returns its id */
  seedRun(fullName: string, file: string, seed?: FakeRunSeed): number;
  runs(fullName?: string): FakeRun[];
  run(id: number): FakeRun;
  /** what the rate limit says is left */
  remaining(): number;
  setDispatchMode(mode: DispatchMode): void;
  close(): Promise<void>;
}

const sha256 = (bytes: Uint8Array | string) => createHash('sha256').update(bytes).digest('hex');
const BASE_TIME = Date.parse('2026-03-01T10:00:00Z');

export async function attachActionsRuns(fake: FakeForge, options: FakeActionsOptions = {}): Promise<FakeActions> {
  const github = fake.kind === 'github';
  let mode: DispatchMode = options.dispatch ?? (github ? 'details' : 'run-info');
  const workflows = new Map<string, FakeWorkflow[]>();
  const runs: FakeRun[] = [];
  const blobs = new Map<string, Uint8Array>();
  const storageRequests: StorageRequest[] = [];
  let nextId = 9000;
  const limit = options.rateLimit ?? 5000;
  let remaining = limit;
  let seedClock = Date.UTC(2026, 2, 1);
  const resetAt = Math.floor(Date.now() / 1000) + 3600;
  const key = (name: string) => name.toLowerCase();

  const storage = createServer((req: IncomingMessage, res: ServerResponse) => {
    const path = new URL(req.url ?? '/', 'http://storage').pathname;
    const authorization = req.headers.authorization !== undefined;
    storageRequests.push({ path, authorization });
    // like a signed storage URL: a second credential is refused
    if (authorization) {
      res.writeHead(400, { 'content-type': 'application/xml' });
      res.end('<Error><Code>InvalidAuthenticationInfo</Code><Message>Authentication information is not given in the correct format.</Message></Error>');
      return;
    }
    const blob = blobs.get(path);
    if (!blob) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.length });
    res.end(Buffer.from(blob));
  });
  await new Promise<void>((resolve) => storage.listen(0, '127.0.0.1', resolve));
  const storageUrl = `http://127.0.0.1:${(storage.address() as AddressInfo).port}`;

  const webRoot = fake.url;
  const limitHeaders = () => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-reset': String(resetAt),
    'x-ratelimit-resource': 'core',
  });
  const notFound = () =>
    github ? { status: 404, body: { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' } } : { status: 404, body: { message: 'The target couldn\'t be found.', errors: [] } };

  function state(run: FakeRun): { status: string; conclusion: string | null } {
    const queued = run.script.queuedTicks ?? 1;
    const running = run.script.runningTicks ?? 1;
    if (run.ticks < queued) return { status: 'queued', conclusion: null };
    if (run.script.stuck || run.ticks < queued + running) return { status: 'in_progress', conclusion: null };
    return { status: 'completed', conclusion: run.script.conclusion ?? 'success' };
  }
  const time = (run: FakeRun, tick: number) => new Date(Date.parse(run.createdAt) + tick * 60_000).toISOString();

  function runJson(run: FakeRun) {
    const { status, conclusion } = state(run);
    const queued = run.script.queuedTicks ?? 1;
    const api = `${fake.apiUrl}/repos/${run.repo}/actions/runs/${run.id}`;
    return {
      id: run.id,
      name: run.workflow.name ?? run.workflow.file.replace(/\.ya?ml$/, ''),
      display_title: run.title,
      run_number: run.number,
      event: run.event,
      status,
      conclusion,
      head_branch: run.ref,
      head_sha: sha256(`${run.repo}/${run.ref}`).slice(0, 40),
      path: `${github ? '.github' : '.forgejo'}/workflows/${run.workflow.file}`,
      url: api,
      html_url: github ? `${webRoot}/${run.repo}/actions/runs/${run.id}` : `${webRoot}/${run.repo}/actions/runs/${run.number}`,
      created_at: run.createdAt,
      run_started_at: status === 'queued' ? run.createdAt : time(run, queued),
      updated_at: status === 'completed' ? time(run, queued + (run.script.runningTicks ?? 1)) : run.createdAt,
      jobs_url: `${api}/jobs`,
      artifacts_url: `${api}/artifacts`,
    };
  }

  function jobsJson(run: FakeRun) {
    const { status, conclusion } = state(run);
    const jobs = run.script.jobs ?? [{ name: 'experiment', steps: ['Set up job', 'Run the experiment', 'Upload the results'] }];
    const queued = run.script.queuedTicks ?? 1;
    return jobs.map((job, index) => {
      const steps = job.steps ?? ['Run'];
      const jobConclusion = status === 'completed' ? (job.conclusion ?? conclusion) : null;
      return {
        id: run.jobIds[index]!,
        run_id: run.id,
        name: job.name,
        status,
        conclusion: jobConclusion,
        labels: job.labels ?? ['self-hosted', 'linux', 'x64'],
        runner_name: status === 'queued' ? null : (job.runner ?? 'gpu-box-1'),
        created_at: run.createdAt,
        started_at: status === 'queued' ? run.createdAt : time(run, queued),
        completed_at: status === 'completed' ? time(run, queued + 1) : null,
        steps:
          status === 'queued'
            ? []
            : steps.map((name, number) => {
                const done = status === 'completed' || number === 0;
                const last = number === steps.length - 1;
                const stepConclusion = done ? (status === 'completed' && last && jobConclusion !== 'success' ? jobConclusion : 'success') : null;
                return {
                  name,
                  number: number + 1,
                  status: done ? 'completed' : number === 1 ? 'in_progress' : 'queued',
                  conclusion: stepConclusion,
                  started_at: done || number === 1 ? time(run, queued) : null,
                  completed_at: done ? time(run, queued) : null,
                };
              }),
      };
    });
  }

  function artifactsJson(run: FakeRun) {
    if (state(run).status !== 'completed') return [];
    return (run.script.artifacts ?? []).map((artifact, index) => {
      const id = run.artifactIds[index]!;
      const bytes = blobs.get(`/artifacts/${id}.zip`)!;
      const digest = artifact.wrongDigest ? `sha256:${sha256('something else')}` : `sha256:${sha256(bytes)}`;
      return {
        id,
        node_id: `MDg6QXJ0aWZhY3Q${id}`,
        name: artifact.name,
        size_in_bytes: bytes.length,
        url: `${fake.apiUrl}/repos/${run.repo}/actions/artifacts/${id}`,
        archive_download_url: `${fake.apiUrl}/repos/${run.repo}/actions/artifacts/${id}/zip`,
        expired: artifact.expired === true,
        created_at: run.createdAt,
        expires_at: artifact.expired ? '2026-03-02T10:00:00Z' : '2026-06-01T10:00:00Z',
        updated_at: run.createdAt,
        ...(github && !artifact.noDigest ? { digest } : {}),
        workflow_run: { id: run.id, head_branch: run.ref, head_sha: sha256(run.ref).slice(0, 40) },
      };
    });
  }

  /** A read that may be answered 304: the ETag is the body's hash. */
  function conditional(request: FakeRouteRequest, body: unknown) {
    const etag = `W/"${sha256(JSON.stringify(body))}"`;
    if (request.headers['if-none-match'] === etag) return { status: 304, headers: { etag, ...limitHeaders() } };
    remaining = Math.max(0, remaining - 1);
    return { status: 200, body, headers: { etag, ...limitHeaders() } };
  }
  const charged = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
    remaining = Math.max(0, remaining - 1);
    return { status, ...(body === undefined ? {} : { body }), headers: { ...limitHeaders(), ...headers } };
  };

  function dispatch(fullName: string, file: string, body: Record<string, unknown>) {
    const workflow = workflows.get(key(fullName))?.find((item) => item.file === file);
    if (!workflow) return notFound();
    if (mode === 'refuse-key' && 'return_run_details' in body) {
      return charged(422, { message: 'Invalid request.\n\n"return_run_details" is not a permitted key.', documentation_url: 'https://docs.github.com/rest', status: '422' });
    }
    const inputs = Object.fromEntries(Object.entries((body.inputs ?? {}) as Record<string, unknown>).map(([name, value]) => [name, String(value)]));
    const ref = String(body.ref ?? 'main');
    const title = (workflow.runName ?? workflow.name ?? workflow.file).replace(/\$\{\{\s*inputs\.([A-Za-z0-9_-]+)\s*\}\}/g, (_, name: string) => inputs[name] ?? '');
    const script = workflow.script?.(inputs) ?? {};
    const id = nextId++;
    const run: FakeRun = {
      id,
      number: runs.filter((item) => key(item.repo) === key(fullName)).length + 1,
      repo: fake.repo(fullName).owner + '/' + fake.repo(fullName).name,
      workflow,
      inputs,
      ref,
      title,
      ticks: 0,
      createdAt: new Date(BASE_TIME + runs.length * 1000).toISOString(),
      script,
      hiddenFor: options.listLag ?? 0,
      event: 'workflow_dispatch',
      artifactIds: [],
      jobIds: (script.jobs ?? [{ name: 'experiment' }]).map(() => nextId++),
    };
    for (const artifact of script.artifacts ?? []) {
      const artifactId = nextId++;
      run.artifactIds.push(artifactId);
      const zip = zipSync(Object.fromEntries(Object.entries(artifact.files).map(([path, content]) => [path, strToU8(content)])));
      blobs.set(`/artifacts/${artifactId}.zip`, zip);
    }
    (script.jobs ?? [{ name: 'experiment' }]).forEach((job, index) => blobs.set(`/logs/${run.jobIds[index]}.txt`, strToU8(job.log ?? `2026-03-01T10:00:00Z ${job.name}: done\n`)));
    runs.push(run);
    const api = `${fake.apiUrl}/repos/${run.repo}/actions/runs/${id}`;
    if (mode === 'details' && body.return_run_details === true) return charged(200, { workflow_run_id: id, run_url: api, html_url: `${webRoot}/${run.repo}/actions/runs/${id}` });
    if (mode === 'run-info' && body.return_run_info === true) {
      return charged(201, { id, run_number: run.number, jobs: jobsJson(run).map((job) => job.name) });
    }
    return charged(204);
  }

  function listed(fullName: string, query: Record<string, string>, file?: string) {
    // GitHub: a workflow file the repository does not have is a 404, not an empty list
    if (file && !workflows.get(key(fullName))?.some((item) => item.file === file)) return notFound();
    let list = runs.filter((run) => key(run.repo) === key(fullName) && (!file || run.workflow.file === file));
    if (query.event) list = list.filter((run) => run.event === query.event);
    const visible = list.filter((run) => run.hiddenFor <= 0);
    for (const run of list) run.hiddenFor--;
    const size = Number(query.per_page ?? query.limit ?? 30);
    // newest first, as both forges list them
    const page = [...visible].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id - a.id).slice(0, size).map(runJson);
    return charged(200, { total_count: visible.length, workflow_runs: page });
  }

  function addWorkflow(fullName: string, workflow: FakeWorkflow): void {
    const list = workflows.get(key(fullName)) ?? [];
    list.push(workflow);
    workflows.set(key(fullName), list);
  }

  fake.use((request) => {
    const match = /^\/repos\/([^/]+)\/([^/]+)\/actions\/(.+)$/.exec(request.apiPath);
    if (!match) return undefined;
    const fullName = `${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`;
    let repo;
    try {
      repo = fake.repo(fullName);
    } catch {
      return undefined;
    }
    if ((repo.private || repo.internal) && !request.authenticated) return notFound();
    const rest = match[3]!;
    const { method } = request;
    const dispatchMatch = /^workflows\/([^/]+)\/dispatches$/.exec(rest);
    if (dispatchMatch && method === 'POST') {
      if (!request.authenticated) return { status: 401, body: { message: 'Requires authentication' } };
      return dispatch(fullName, decodeURIComponent(dispatchMatch[1]!), (request.body ?? {}) as Record<string, unknown>);
    }
    if (!github && options.noRunsApi) return undefined;
    if (method !== 'GET') return undefined;
    if (rest === 'runs') return listed(fullName, request.query);
    const workflowRuns = /^workflows\/([^/]+)\/runs$/.exec(rest);
    if (workflowRuns && github) return listed(fullName, request.query, decodeURIComponent(workflowRuns[1]!));
    const one = /^runs\/(\d+)(\/jobs|\/artifacts)?$/.exec(rest);
    if (one) {
      const run = runs.find((item) => item.id === Number(one[1]) && key(item.repo) === key(fullName));
      if (!run) return notFound();
      if (!one[2]) {
        const answer = conditional(request, runJson(run));
        run.ticks++;
        return answer;
      }
      if (one[2] === '/jobs') {
        const jobs = jobsJson(run);
        return conditional(request, { total_count: jobs.length, jobs });
      }
      const artifacts = artifactsJson(run);
      return charged(200, { total_count: artifacts.length, artifacts });
    }
    const zip = /^artifacts\/(\d+)\/zip$/.exec(rest);
    if (zip) {
      const id = Number(zip[1]);
      const run = runs.find((item) => item.artifactIds.includes(id));
      if (!run) return notFound();
      const artifact = run.script.artifacts![run.artifactIds.indexOf(id)]!;
      if (artifact.expired) return charged(410, { message: 'Artifact has expired', documentation_url: 'https://docs.github.com/rest', status: '410' });
      return charged(302, undefined, { location: `${storageUrl}/artifacts/${id}.zip?sig=${sha256(String(id)).slice(0, 16)}&se=2026-03-01T10%3A01%3A00Z` });
    }
    const logs = /^jobs\/(\d+)\/logs$/.exec(rest);
    if (logs) {
      if (!runs.some((run) => run.jobIds.includes(Number(logs[1])))) return notFound();
      return charged(302, undefined, { location: `${storageUrl}/logs/${logs[1]}.txt?sig=x` });
    }
    return undefined;
  });

  return {
    storageUrl,
    storageRequests,
    addWorkflow,
    seedRun(fullName, file, seed = {}) {
      let workflow = workflows.get(key(fullName))?.find((item) => item.file === file);
      if (!workflow) {
        workflow = { file, name: file.replace(/\.ya?ml$/, '') };
        addWorkflow(fullName, workflow);
      }
      seedClock += 1000;
      const status = seed.status ?? 'completed';
      const id = nextId++;
      runs.push({
        id,
        number: runs.filter((item) => key(item.repo) === key(fullName)).length + 1,
        repo: `${fake.repo(fullName).owner}/${fake.repo(fullName).name}`,
        workflow,
        inputs: {},
        ref: seed.branch ?? 'main',
        title: workflow.name ?? file,
        ticks: 0,
        createdAt: seed.createdAt ?? new Date(seedClock).toISOString(),
        // its final state at once: completed now, or never leaving queued / in progress
        script: {
          conclusion: (seed.conclusion ?? 'success') as FakeRunScript['conclusion'],
          queuedTicks: status === 'queued' ? Number.POSITIVE_INFINITY : 0,
          runningTicks: 0,
          stuck: status === 'in_progress',
          jobs: [],
        },
        hiddenFor: 0,
        event: seed.event ?? 'schedule',
        artifactIds: [],
        jobIds: [],
      });
      return id;
    },
    runs: (fullName) => runs.filter((run) => !fullName || key(run.repo) === key(fullName)),
    run(id) {
      const run = runs.find((item) => item.id === id);
      if (!run) throw new Error(`fake actions: no run ${id}`);
      return run;
    },
    remaining: () => remaining,
    setDispatchMode(next) {
      mode = next;
    },
    close() {
      if (!storage.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        storage.close((error) => (error ? reject(error) : resolve()));
        storage.closeAllConnections();
      });
    },
  };
}
