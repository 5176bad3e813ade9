import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LanesRecord } from '../../src/app/audit/lanes.js';
import type { RunWithJobs } from '../../src/core/lanes/types.js';
import { packageRoot } from '../../src/paths.js';
import { actionsRoutes, goHistory, noGoHistory } from '../helpers/fake-actions.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { Sandbox, type Repo } from '../helpers/sandbox.js';

const TOKEN = ['fake', 'issues', 'write', 'token'].join('-');
const sandbox = new Sandbox();
const forges: FakeForge[] = [];
afterAll(async () => {
  for (const forge of forges) await forge.close();
});

function singleRunnerRepo(dir = '.github/workflows', box = sandbox): Repo {
  const repo = box.repo();
  const fixtures = join(packageRoot, 'fixtures', 'workflows', 'single-runner');
  for (const name of readdirSync(fixtures)) repo.write(`${dir}/${name}`, readFileSync(join(fixtures, name)));
  repo.commit('Workflows');
  return repo;
}

async function forge(kind: 'github' | 'forgejo', history: RunWithJobs[]): Promise<FakeForge> {
  const runs = actionsRoutes({ kind, repo: 'acme/app', history });
  const server = await startFakeForge(kind, { token: TOKEN, extraRoutes: runs });
  server.use(({ method, apiPath }) => (method === 'POST' && apiPath === '/repos/acme/app/issues/42/comments' ? { status: 201, body: { id: 7, html_url: `${server.url}/acme/app/issues/42#issuecomment-7` } } : undefined));
  server.addRepo({ owner: 'acme', name: 'app', private: true });
  forges.push(server);
  return server;
}

// a window of exactly one day: the histories start 2026-11-30T08:00Z
const WINDOW = ['--since', '2026-11-30T00:00:00Z', '--until', '2026-12-01T00:00:00Z'];
const args = (server: FakeForge, kind: 'github' | 'forgejo', ...more: string[]) => ['audit', 'lanes', ...WINDOW, '--repo', server.remoteUrl('acme/app'), '--forge', kind, '--api-url', server.apiUrl, ...more];
const env = (kind: 'github' | 'forgejo') => (kind === 'github' ? { GH_ENTERPRISE_TOKEN: TOKEN } : { FORGEJO_TOKEN: TOKEN });

// worked by hand: lint 1 min + unit 2 min billed per run (60 s, 120 s run), 3 runs a day -> 270 min per 30 days;
// the replay queues 420 s per run before (lint 0, e2e 60, unit 360) and 80 s after (lint 10, unit 70): 1020 s a day saved = 8.5 h a month
const EXPECTED_GO_HOURS = 8.5;
const EXPECTED_GO_SHAPES = [
  ['github-hosted', 270, 1.62, 0.19, 0],
  ['hosted-vendor', 270, 1.08, 0.13, 0.5],
  ['vps', 0, 4, 0.47, 2.75],
  ['ephemeral-owned', 0, 0, 0, 2.75],
  ['serverless', 270, 2.16, 0.25, 1],
];
const EXPECTED_MOVABLE = ['.github/workflows/ci.yml lint', '.github/workflows/ci.yml unit', '.github/workflows/docs.yml build-docs', '.github/workflows/docs.yml link-check'];

describe('mirror audit lanes (the built CLI against the fake forge)', () => {
  it('small jobs waiting behind heavy ones: go, with every figure', async () => {
    const server = await forge('github', goHistory());
    const repo = singleRunnerRepo();
    const run = await repo.mirrorAsync(args(server, 'github', '--json', '--lane-label', 'ext-lane'), { env: env('github') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const record = JSON.parse(run.stdout) as LanesRecord;
    // a go carries the pilot of `audit workflows --pilot`, as a dry run: its diff, nothing written
    expect(record.pilot?.plan).toContain('"ext-lane"');
    expect(record.pilot?.diff).toContain('runs-on: ext-lane');
    expect(record.pilot?.diff).toContain('persist-credentials: false');
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(record.decision).toMatchObject({ answer: 'go', p95Before: 360, p95After: 70, saving: 290, savingMet: true, budgetMet: true });
    expect(record.decision.cheapest!.id).toBe('hosted-vendor');
    expect(record.decision.reasons).toEqual([
      'p95 queue of the 6 moving jobs: 360 s -> 70 s, a saving of 290 s, at least --min-saving 60 s',
      'cheapest shape that adds capacity: Per-minute hosted-runner vendor (Depot, 2 vCPU / 8 GB) at 1.08 USD/month, within --budget 50.00 USD',
    ]);
    // lint 60 s and unit 120 s, three runs each: 540 s in one day -> 30 days
    expect(record.cost).toMatchObject({ currency: 'USD', scale: 30, jobsPerMonth: 180, minutesPerMonth: 270 });
    expect(record.cost.shapes.map((s) => [s.id, s.billedMinutes, s.perMonth, s.perHourSaved, s.burdenHours])).toEqual(EXPECTED_GO_SHAPES);
    expect(record.cost.queueHoursSavedPerMonth).toBe(EXPECTED_GO_HOURS);
    expect(record.classes.filter((c) => c.movable).map((c) => `${c.workflow} ${c.job}`)).toEqual(EXPECTED_MOVABLE);
    expect(server.requests.every((r) => r.method === 'GET')).toBe(true);
    expect(run.stdout).not.toContain(TOKEN);
  });

  it('fast pickup (about a second): no-go, "keep the current runner model" and the figure why', async () => {
    const server = await forge('github', noGoHistory());
    const run = await singleRunnerRepo().mirrorAsync(args(server, 'github'), { env: env('github') });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('BURST LANE DECISION: NO-GO');
    expect(run.stdout).toContain('Recommendation: NO-GO: keep the current runner model. The p95 queue of the external-safe jobs is 0 s today; moving them would make it 10 s.');
    expect(run.stdout).toContain('- p95 queue of the 8 moving jobs: 0 s -> 10 s, a saving of -10 s, below --min-saving 60 s');
    expect(run.stdout).toContain('- a p95 queue of the external-safe jobs above 70 s on the current runners (measured 0 s)');
  });

  it('--post comments the markdown record on a Forgejo issue, token never printed', async () => {
    const server = await forge('forgejo', goHistory());
    const run = await singleRunnerRepo('.forgejo/workflows').mirrorAsync(args(server, 'forgejo', '--post', '42', '--json'), { env: env('forgejo') });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const posts = server.requests.filter((r) => r.method === 'POST');
    expect(posts.map((r) => [r.apiPath, r.auth])).toEqual([['/repos/acme/app/issues/42/comments', 'valid']]);
    const body = (posts[0]!.body as { body: string }).body;
    expect(body.startsWith('# Burst lane decision: GO\n')).toBe(true);
    expect(body).toContain('## 5. What queue-time improvement justifies it? (recommendation)');
    expect(body).not.toContain(TOKEN);
    expect(run.stdout).not.toContain(TOKEN);
    expect((JSON.parse(run.stdout) as LanesRecord).posted).toEqual({ issue: 42, url: `${server.url}/acme/app/issues/42#issuecomment-7` });
  });

  it('--post on GitHub: the same endpoint', async () => {
    const server = await forge('github', goHistory());
    const run = await singleRunnerRepo().mirrorAsync(args(server, 'github', '--post', '42', '--format', 'markdown'), { env: env('github') });
    expect(run.code).toBe(0);
    expect(server.requests.filter((r) => r.method === 'POST').map((r) => r.apiPath)).toEqual(['/repos/acme/app/issues/42/comments']);
    expect(run.stdout).toContain('posted as a comment on issue #42');
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
  });

  it.each([
    ['shapes: not a list', 'currency: USD\nshapes: 3\n', 'shapes must be a non-empty list of runner shapes'],
    ['a negative price', 'currency: USD\nshapes:\n  - { id: a, name: A, billing: per-minute, price: -1, addsCapacity: true, read: 2026-12-07, source: x, burden: { upgrades: 0, osPatches: 0, tokenRotation: 0, imageCaching: 0, monitoring: 0 } }\n', 'shapes[0].price must be a number, 0 or more'],
    ['an unknown billing', 'currency: USD\nshapes:\n  - { id: a, name: A, billing: hourly, price: 1, addsCapacity: true, read: 2026-12-07, source: x, burden: { upgrades: 0, osPatches: 0, tokenRotation: 0, imageCaching: 0, monitoring: 0 } }\n', 'shapes[0].billing must be one of per-minute, per-second, fixed-monthly, marginal-zero'],
    ['a missing read date and burden item', 'currency: USD\nshapes:\n  - { id: a, name: A, billing: per-minute, price: 1, addsCapacity: true, source: x, burden: { upgrades: 0, osPatches: 0, tokenRotation: 0, imageCaching: 0 } }\n', 'shapes[0].read must be the date the price was read, YYYY-MM-DD; shapes[0].burden.monitoring must be hours per month, 0 or more'],
    ['not YAML', 'shapes: [\n', 'not YAML'],
  ])('a malformed price file (%s): exit 2 naming the file and field, no request made', async (_name, text, message) => {
    const server = await forge('github', goHistory());
    const repo = singleRunnerRepo();
    const file = join(repo.dir, 'prices.yml');
    writeFileSync(file, text);
    const run = await repo.mirrorAsync(args(server, 'github', '--prices', file), { env: env('github') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file}: `);
    expect(run.stderr).toContain(message);
    expect(server.requests).toEqual([]);
  });
});

describe('the price book from the policy (lanes.prices)', () => {
  const book = (vendorPrice: string) =>
    readFileSync(join(packageRoot, 'policies', 'lane-prices.yml'), 'utf8').replace(/(id: hosted-vendor[\s\S]*?price: )0\.004/, `$1${vendorPrice}`);

  it('a book the policy names replaces the shipped one; --prices still wins', async () => {
    const server = await forge('github', goHistory());
    const repo = singleRunnerRepo('.github/workflows', new Sandbox());
    repo.write('ci/prices.yml', book('0.02'));
    repo.policy('lanes:\n  prices: ci/prices.yml\n').commit('Prices');
    const run = await repo.mirrorAsync(args(server, 'github', '--json'), { env: env('github') });
    expect(run.code, run.stderr).toBe(0);
    const record = JSON.parse(run.stdout) as LanesRecord;
    expect(record.pricesFile).toBe('ci/prices.yml (policy lanes.prices)');
    // 270 billed minutes at 0.02: 5.40 a month, now dearer than GitHub's 1.62
    expect(record.cost.shapes.find((shape) => shape.id === 'hosted-vendor')!.perMonth).toBe(5.4);
    expect(record.decision.cheapest!.id).toBe('github-hosted');

    const own = join(repo.dir, 'mine.yml');
    writeFileSync(own, book('0.001'));
    const flag = await repo.mirrorAsync(args(server, 'github', '--json', '--prices', own), { env: env('github') });
    expect(flag.code, flag.stderr).toBe(0);
    expect((JSON.parse(flag.stdout) as LanesRecord).pricesFile).toBe(own);
  });

  it('a malformed book the policy names: exit 2 naming the file and field, before any request', async () => {
    const server = await forge('github', goHistory());
    const repo = singleRunnerRepo('.github/workflows', new Sandbox());
    repo.write('ci/prices.yml', book('cheap'));
    repo.policy('lanes:\n  prices: ci/prices.yml\n').commit('Prices');
    const run = await repo.mirrorAsync(args(server, 'github'), { env: env('github') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(repo.dir, 'ci', 'prices.yml')}: shapes[1].price must be a number, 0 or more`);
    expect(server.requests).toEqual([]);
  });

  it('lanes.prices outside the repository is a usage error', async () => {
    const server = await forge('github', goHistory());
    const repo = singleRunnerRepo('.github/workflows', new Sandbox());
    repo.policy('lanes:\n  prices: ../prices.yml\n').commit('Prices');
    const run = await repo.mirrorAsync(args(server, 'github'), { env: env('github') });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('lanes.prices must be a path inside the repository (../prices.yml)');
    expect(server.requests).toEqual([]);
  });
});

/** CommonMark reads a table or a list as one only between blank lines (or where a block may interrupt): the record keeps them apart everywhere. */
function blockProblems(markdown: string): string[] {
  const problems: string[] = [];
  const lines = markdown.split('\n');
  let fenced = false;
  const kind = (line: string | undefined) => (line === undefined || line.trim() === '' ? 'blank' : /^\|/.test(line) ? 'table' : /^- /.test(line) ? 'list' : /^#{1,6} /.test(line) ? 'heading' : /^```/.test(line) ? 'fence' : 'text');
  lines.forEach((line, index) => {
    if (/^```/.test(line)) fenced = !fenced;
    if (fenced && !/^```/.test(line)) return;
    const here = kind(line);
    if (here !== 'table' && here !== 'list') return;
    const before = kind(lines[index - 1]);
    const after = kind(lines[index + 1]);
    if (before !== 'blank' && before !== here) problems.push(`line ${index + 1} (${here}) follows ${before} without a blank line: ${line.slice(0, 40)}`);
    if (after !== 'blank' && after !== here) problems.push(`line ${index + 1} (${here}) is followed by ${after} without a blank line: ${line.slice(0, 40)}`);
  });
  return problems;
}

describe('what the tool never does (issue: never registers a runner, changes branch protection, moves a secret or spends)', () => {
  /** Forge endpoints that would do one of those: none may be requested. */
  const FORBIDDEN = [
    /\/actions\/runners/, // runner registration, registration or removal tokens
    /registration-token|remove-token/,
    /\/protection|branch_protections|\/rulesets/, // branch protection and rulesets
    /\/actions\/secrets|\/actions\/variables|\/environments|\/secrets/, // secrets, variables, environments
    /billing|\/settings|\/hooks|\/actions\/permissions|\/hosted-runners|larger-runners/, // spending and settings
    /\/contents\/|\/git\/refs|\/pulls$/, // writes to the repository itself
  ];

  it.each(['github', 'forgejo'] as const)('%s: audit lanes --post, audit latency and --pilot --write make only reads and the one comment', async (kind) => {
    const server = await forge(kind, goHistory());
    // a sandbox of its own: the pilot is written into this work tree
    const repo = singleRunnerRepo(kind === 'github' ? '.github/workflows' : '.forgejo/workflows', new Sandbox());
    const lanes = await repo.mirrorAsync(args(server, kind, '--post', '42', '--format', 'markdown', '--lane-label', 'burst'), { env: env(kind) });
    expect(lanes.code, lanes.stderr).toBe(0);
    const latency = await repo.mirrorAsync(['audit', 'latency', '--since', '2026-11-30T00:00:00Z', '--repo', server.remoteUrl('acme/app'), '--forge', kind, '--api-url', server.apiUrl], { env: env(kind) });
    expect(latency.code, latency.stderr).toBe(0);
    const requested = server.requests.length;
    const pilot = await repo.mirrorAsync(['audit', 'workflows', '--pilot', '--job', 'lint', '--lane-label', 'burst', '--write'], { env: env(kind) });
    expect(pilot.code, pilot.stderr).toBe(0);
    // writing the pilot is files in the work tree: no request at all
    expect(server.requests.length).toBe(requested);

    expect(server.requests.length).toBeGreaterThan(2);
    for (const request of server.requests) {
      const allowed = (request.method === 'GET' && /^\/repos\/acme\/app\/actions\/runs(\/\d+\/jobs)?$/.test(request.apiPath)) || (request.method === 'POST' && request.apiPath === '/repos/acme/app/issues/42/comments');
      expect(allowed, `${request.method} ${request.apiPath}`).toBe(true);
      for (const pattern of FORBIDDEN) expect(request.apiPath, `${request.method} ${request.apiPath}`).not.toMatch(pattern);
    }
    expect(server.requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.apiPath}`)).toEqual(['POST /repos/acme/app/issues/42/comments']);
    // the comment carries the record, and only the record: no token, nothing from the environment
    const body = (server.requests.find((request) => request.method === 'POST')!.body as { body: string }).body;
    expect(body).not.toContain(TOKEN);
    expect(Object.keys(server.requests.find((request) => request.method === 'POST')!.body as object)).toEqual(['body']);
  });

  it('the decision record is valid CommonMark: every table and list between blank lines, the rollback with the pilot', async () => {
    const server = await forge('github', goHistory());
    const run = await singleRunnerRepo().mirrorAsync(args(server, 'github', '--format', 'markdown', '--lane-label', 'burst'), { env: env('github') });
    expect(run.code, run.stderr).toBe(0);
    expect(blockProblems(run.stdout)).toEqual([]);
    expect(run.stdout).toContain('\n\n| Workflow | Job | Class | Runs on today | Why |\n|---|---|---|---|---|\n');
    expect(run.stdout).toContain('Stays local, job by job:\n\n- .github/workflows/ci.yml e2e (local-only)');
    expect(run.stdout).toContain('\n\n### Rollback\n\n- before it is committed: `git restore -- .github/workflows/docs.yml && rm .github/workflows/pilot-build-docs.yml`\n- once committed (commit these files alone): `git revert <that commit>`');
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(run.stdout).not.toMatch(/\n\n\n/);
  });
});

