import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSyncDown } from '../../src/core/init/templates.js';
import { DEFAULT_ACTION_REF } from '../../src/core/init/types.js';
import { attachActionsRuns, type FakeActions, type FakeRunScript } from '../helpers/fake-actions-runs.js';
import { startFakeForge, type FakeForge } from '../helpers/fake-forge.js';
import { fleetWorld, serveLocally, type FleetWorld } from '../helpers/fleet-world.js';
import { randomFrom } from '../helpers/tokens.js';

const TOKEN = ['fleet', randomFrom('abcdef0123456789', 24)].join('-');
const git = (world: FleetWorld, dir: string, ...args: string[]) => world.sandbox.git(dir, args).trim();

interface Row {
  name: string;
  outcome: string;
  ok: boolean;
  message: string;
  conflicts?: string[];
  pullRequestUrl?: string;
  run?: { id: number; conclusion: string | null; htmlUrl: string };
  clone?: string;
}
const byName = (rows: Row[]): Record<string, Row> => Object.fromEntries(rows.map((row) => [row.name, row]));

describe('mirror fleet sync-down --local (working clones, real merges)', () => {
  let world: FleetWorld;
  beforeAll(() => {
    world = fleetWorld();
    world.writeFleet(['hooli', 'acme', 'clash', 'globex', 'gone'].map((name) => ({ name, url: world.mirrors[name as keyof FleetWorld['mirrors']] })));
  });

  it('merges in each clone and pushes; reports the conflict with its files and the unreachable mirror', async () => {
    const upstreamTip = git(world, world.upstream, 'rev-parse', 'main');
    const before = Object.fromEntries(['hooli', 'acme', 'clash', 'globex'].map((name) => [name, git(world, world.mirrors[name as 'hooli'], 'rev-parse', 'main')]));
    const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--local', '--jobs', '2', '--json']);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const clones = join(world.control.dir, '.git', 'mirror', 'fleet-clones');
    expect(report).toMatchObject({ mode: 'local', clones, summary: { mirrors: 5, ok: 3, attention: 2, merged: 2, 'up-to-date': 1, conflict: 1, unreachable: 1, failed: 0 } });
    const rows = byName(report.mirrors);
    expect(rows.hooli).toMatchObject({ outcome: 'merged', ok: true, message: 'merged 2 upstream commit(s), pushed to origin/main', clone: join(clones, 'hooli') });
    expect(rows.acme).toMatchObject({ outcome: 'merged', ok: true, message: 'merged 1 upstream commit(s), pushed to origin/main' });
    expect(rows.globex).toMatchObject({ outcome: 'up-to-date', ok: true });
    expect(rows.clash).toMatchObject({ outcome: 'conflict', ok: false, conflicts: ['app.txt'], message: 'conflicts in app.txt' });
    expect(rows.gone!.outcome).toBe('unreachable');
    expect(rows.gone!.message).toMatch(/^unreachable: .*gone\.git/);

    // the merges happened in the clones and reached the mirrors
    for (const name of ['hooli', 'acme'] as const) {
      const clone = join(clones, name);
      const head = git(world, clone, 'rev-parse', 'HEAD');
      // hooli has no commits of its own: git's merge fast-forwards it; acme gets a merge commit over its private work
      if (name === 'hooli') expect(head).toBe(upstreamTip);
      else expect(git(world, clone, 'rev-list', '--parents', '-n', '1', 'HEAD').split(' ')).toEqual([head, before[name], upstreamTip]);
      expect(git(world, clone, 'merge-base', '--is-ancestor', before[name]!, 'HEAD')).toBe('');
      expect(git(world, world.mirrors[name], 'rev-parse', 'main')).toBe(head);
      expect(git(world, clone, 'remote', 'get-url', 'upstream')).toBe(world.upstream);
    }
    expect(readFileSync(join(clones, 'acme', 'private', 'customer.txt'), 'utf8')).toBe('acme only\n');
    // the conflicting mirror is untouched; its clone waits, mid-merge, for a person
    expect(git(world, world.mirrors.clash, 'rev-parse', 'main')).toBe(before.clash);
    expect(git(world, world.mirrors.globex, 'rev-parse', 'main')).toBe(before.globex);
    expect(existsSync(join(clones, 'clash', '.git', 'MERGE_HEAD'))).toBe(true);
    expect(readFileSync(join(clones, 'clash', 'app.txt'), 'utf8')).toContain('<<<<<<<');
    expect(existsSync(join(clones, 'gone'))).toBe(false);
  });

  it('a second run fetches, finds the merged mirrors up to date, and reports the paused conflict without touching it', async () => {
    const clash = join(world.control.dir, '.git', 'mirror', 'fleet-clones', 'clash');
    const text = await world.control.mirrorAsync(['fleet', 'sync-down', '--local']);
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(/✓\s+hooli\s+up to date/);
    expect(text.stdout).toMatch(/✗\s+clash\s+conflict/);
    expect(text.stdout).toContain('✗ clash: conflicts in app.txt');
    expect(text.stdout).toContain(`resolve in ${clash}: edit, \`git add\`, \`mirror continue\``);
    expect(text.stdout).toMatch(/✗ gone: unreachable: /);
    expect(text.stdout).toContain('5 mirror(s), 3 up-to-date, 1 conflict, 1 unreachable');
    expect(existsSync(join(clash, '.git', 'MERGE_HEAD'))).toBe(true);
  });
});

describe('mirror fleet sync-down (dispatch each mirror\'s workflow, watch the runs; local fake forge)', () => {
  let world: FleetWorld;
  let fake: FakeForge;
  let actions: FakeActions;
  /** what the real `mirror sync-down --ci` did for each mirror, as its runner would have logged it */
  const runner: Record<string, FakeRunScript> = {};
  const NAMES = ['hooli', 'acme', 'clash', 'globex'] as const;

  beforeAll(async () => {
    world = fleetWorld();
    fake = await startFakeForge('github', { token: TOKEN });
    // a limit large enough that spreading it over the hour to its reset still polls about twice a second
    actions = await attachActionsRuns(fake, { rateLimit: 50_000 });
    serveLocally(world.sandbox, fake.url, 'acme', world.sandbox.root);
    const template = renderSyncDown({ role: 'mirror', forge: 'github', actionRef: DEFAULT_ACTION_REF, branch: 'main', schedule: '0 5 * * 1-5', runnerLabels: [], sarif: false, upstreamUrl: world.upstream });
    const runName = /^run-name: (.*)$/m.exec(template)![1]!;
    for (const name of NAMES) {
      // hooli's main is protected: its sync-down proposes the merge in a pull request
      fake.addRepo({ owner: 'acme', name, private: true, git: world.mirrors[name], ...(name === 'hooli' ? { protectedBranches: ['main'] } : {}) });
      actions.addWorkflow(`acme/${name}`, { file: 'mirror-sync-down.yml', name: 'mirror sync-down', runName, script: () => runner[name]! });
    }
    // each mirror's runner: a checkout, the upstream remote, then the real `mirror sync-down --ci` against the fake forge
    for (const name of NAMES) {
      const checkout = world.sandbox.repo(`runner-${name}`);
      checkout.git('remote', 'add', 'origin', fake.remoteUrl(`acme/${name}`));
      checkout.git('fetch', '-q', 'origin');
      checkout.git('checkout', '-q', '-B', 'main', 'origin/main');
      checkout.git('remote', 'add', 'upstream', world.upstream);
      const done = await checkout.mirrorAsync(['sync-down', '--ci', '--forge', 'github', '--api-url', fake.apiUrl], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
      const log = `${done.stdout}${done.stderr}`.split('\n').filter(Boolean).map((line, index) => `2026-03-01T10:00:${String(index).padStart(2, '0')}.0000000Z ${line}`).join('\n');
      runner[name] = {
        conclusion: done.code === 0 ? 'success' : 'failure',
        queuedTicks: name === 'acme' ? 3 : 1,
        runningTicks: 2,
        jobs: [{ name: 'sync-down', labels: ['ubuntu-latest'], runner: 'GitHub Actions 2', steps: ['Set up job', 'Run actions/checkout@v4', 'Add the upstream remote', 'Sync down'], log: `${log}\n` }],
      };
    }
    world.writeFleet([...NAMES, 'gone'].map((name) => ({ name, url: fake.remoteUrl(`acme/${name}`), apiUrl: fake.apiUrl })));
  });
  afterAll(async () => {
    await actions?.close();
    await fake?.close();
  });

  it('dispatches every mirror\'s workflow, watches all runs to their end, and reports each outcome exactly', async () => {
    expect(runner.clash!.conclusion).toBe('failure');
    expect(fake.pulls('acme/hooli')).toHaveLength(1);
    fake.resetLog();
    // a rate-limited read while watching is waited out (Retry-After), not an outcome
    fake.fail({ status: 429, headers: { 'retry-after': '0' }, path: /^\/repos\/acme\/acme\/actions\/runs\/\d+$/, times: 2 });
    const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--json', '--jobs', '3'], { env: { GH_ENTERPRISE_TOKEN: TOKEN, MIRROR_RUN_POLL_MS: '100', MIRROR_FORGE_RETRY_DELAY_MS: '5' } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({ mode: 'dispatch', summary: { mirrors: 5, ok: 3, attention: 2, merged: 1, 'up-to-date': 1, 'pull-request': 1, conflict: 1, unreachable: 1, failed: 0 } });
    const rows = byName(report.mirrors);
    const dispatched = Object.fromEntries(NAMES.map((name) => [name, actions.runs(`acme/${name}`)]));
    for (const name of NAMES) {
      expect(dispatched[name]).toHaveLength(1);
      const fakeRun = dispatched[name]![0]!;
      expect(fakeRun.ref).toBe('main');
      expect(fakeRun.inputs.correlation_id).toMatch(/^mr-\d{8}T\d{6}-[0-9a-f]{8}$/);
      expect(fakeRun.title).toBe(`mirror sync-down ${fakeRun.inputs.correlation_id}`);
      expect(rows[name]!.run).toEqual({ id: fakeRun.id, conclusion: runner[name]!.conclusion, htmlUrl: `${fake.url}/acme/${name}/actions/runs/${fakeRun.id}` });
    }
    const pull = fake.pulls('acme/hooli')[0]!;
    expect(pull.head).toMatch(/^mirror\/sync-down-\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    expect(rows.hooli).toMatchObject({ outcome: 'pull-request', ok: true, pullRequestUrl: `${fake.url}/acme/hooli/pull/${pull.number}`, message: `merge of 2 upstream commit(s) proposed in #${pull.number} ${fake.url}/acme/hooli/pull/${pull.number}` });
    expect(rows.acme).toMatchObject({ outcome: 'merged', ok: true, message: 'merged 1 upstream commit(s), pushed to origin/main' });
    expect(rows.globex).toMatchObject({ outcome: 'up-to-date', ok: true });
    expect(rows.clash).toMatchObject({ outcome: 'conflict', ok: false, conflicts: ['app.txt'], message: 'conflicts in app.txt' });
    expect(rows.gone).toMatchObject({ outcome: 'unreachable', ok: false, message: `unreachable: acme/gone does not exist on ${fake.apiUrl}, or the token cannot see it` });

    // watched to the end: the last read of every run saw it completed, and the watch stopped reading it then
    for (const name of NAMES) {
      const fakeRun = dispatched[name]![0]!;
      const reads = fake.requests.filter((request) => request.method === 'GET' && request.apiPath === `/repos/acme/${name}/actions/runs/${fakeRun.id}`).length;
      const needed = (runner[name]!.queuedTicks ?? 1) + (runner[name]!.runningTicks ?? 1) + 1;
      expect(reads).toBeGreaterThanOrEqual(needed);
      expect(fakeRun.ticks).toBe(reads - (name === 'acme' ? 2 : 0));
    }
    // the job log was read for every run; the open pull requests only where the run proposed one
    const logReads = fake.requests.filter((request) => /\/actions\/jobs\/\d+\/logs$/.test(request.apiPath)).map((request) => request.apiPath.split('/')[3]);
    expect(logReads.sort()).toEqual([...NAMES].sort());
    expect(fake.requests.filter((request) => request.method === 'GET' && /\/pulls$/.test(request.apiPath)).map((request) => request.apiPath)).toEqual(['/repos/acme/hooli/pulls']);
    // the storage the logs redirect to never saw the token
    expect(actions.storageRequests.length).toBeGreaterThanOrEqual(4);
    expect(actions.storageRequests.every((request) => !request.authorization)).toBe(true);
    // progress went to stderr, by mirror name
    expect(run.stderr).toMatch(/hooli: dispatched mirror-sync-down\.yml on main, run \d+/);
    expect(run.stderr).toMatch(/clash: failure/);
  });

  it('the text report names each outcome, the conflicting files and what to do', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--label', 'none-such'], { env: { GH_ENTERPRISE_TOKEN: TOKEN } });
    expect(run.code).toBe(2);
    world.writeFleet([{ name: 'clash', url: fake.remoteUrl('acme/clash'), apiUrl: fake.apiUrl, labels: ['eu'] }, { name: 'globex', url: fake.remoteUrl('acme/globex'), apiUrl: fake.apiUrl }]);
    const text = await world.control.mirrorAsync(['fleet', 'sync-down', '--label', 'eu'], { env: { GH_ENTERPRISE_TOKEN: TOKEN, MIRROR_RUN_POLL_MS: '100' } });
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`✗\\s+clash\\s+conflict\\s+${fake.url}/acme/clash/actions/runs/\\d+`));
    expect(text.stdout).not.toContain('globex');
    expect(text.stdout).toContain('✗ clash: conflicts in app.txt');
    expect(text.stdout).toContain('resolve in a clone of the mirror: `mirror sync-down`, edit, `git add`, `mirror continue`');
    expect(text.stdout).toContain('1 mirror(s), 1 conflict');
  });

  it('a run that can no longer be read fails that mirror alone; the others are still followed to their end', async () => {
    world.writeFleet([{ name: 'globex', url: fake.remoteUrl('acme/globex'), apiUrl: fake.apiUrl }, { name: 'clash', url: fake.remoteUrl('acme/clash'), apiUrl: fake.apiUrl }]);
    fake.fail({ status: 404, path: /^\/repos\/acme\/globex\/actions\/runs\/\d+$/, times: Number.POSITIVE_INFINITY });
    try {
      const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN, MIRROR_RUN_POLL_MS: '100' } });
      expect(run.code).toBe(1);
      const rows = byName(JSON.parse(run.stdout).mirrors);
      const globexRun = actions.runs('acme/globex').at(-1)!;
      expect(rows.globex).toMatchObject({ outcome: 'failed', ok: false, message: expect.stringMatching(new RegExp(`^run ${globexRun.id} could not be followed: .*404`)) });
      expect(rows.clash).toMatchObject({ outcome: 'conflict', conflicts: ['app.txt'] });
      expect(run.stdout + run.stderr).not.toContain(TOKEN);
    } finally {
      fake.clearFaults();
    }
  });

  it('where the dispatch answer names no run (204), the run is found by the correlation id in its name', async () => {
    world.writeFleet([{ name: 'globex', url: fake.remoteUrl('acme/globex'), apiUrl: fake.apiUrl }]);
    actions.setDispatchMode('legacy');
    fake.resetLog();
    try {
      const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--json'], { env: { GH_ENTERPRISE_TOKEN: TOKEN, MIRROR_RUN_POLL_MS: '100' } });
      expect(run.code).toBe(0);
      const newest = actions.runs('acme/globex').at(-1)!;
      expect(JSON.parse(run.stdout).mirrors).toEqual([expect.objectContaining({ name: 'globex', outcome: 'up-to-date', ok: true, run: expect.objectContaining({ id: newest.id }) })]);
      expect(newest.title).toBe(`mirror sync-down ${newest.inputs.correlation_id}`);
      expect(fake.requests.some((request) => request.apiPath === '/repos/acme/globex/actions/workflows/mirror-sync-down.yml/runs' && request.query.event === 'workflow_dispatch')).toBe(true);
    } finally {
      actions.setDispatchMode('details');
    }
  });

  it('without a token a mirror is unreachable, reported and not skipped; nothing is dispatched', async () => {
    world.writeFleet([{ name: 'globex', url: fake.remoteUrl('acme/globex'), apiUrl: fake.apiUrl }]);
    fake.resetLog();
    const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--json']);
    expect(run.code).toBe(1);
    expect(fake.requests).toHaveLength(0);
    expect(JSON.parse(run.stdout).mirrors).toEqual([expect.objectContaining({ name: 'globex', outcome: 'unreachable', message: expect.stringMatching(/^unreachable: no token to reach .*GH_ENTERPRISE_TOKEN/) })]);
  });
});

describe('mirror fleet sync-down on Forgejo (run info in the dispatch answer, runs addressed by number; local fake forge)', () => {
  let world: FleetWorld;
  let fake: FakeForge;
  let actions: FakeActions;
  const runner: Record<string, FakeRunScript> = {};

  beforeAll(async () => {
    world = fleetWorld();
    fake = await startFakeForge('forgejo', { token: TOKEN });
    actions = await attachActionsRuns(fake, { rateLimit: 50_000 });
    serveLocally(world.sandbox, fake.url, 'acme', world.sandbox.root);
    for (const name of ['hooli', 'clash'] as const) {
      fake.addRepo({ owner: 'acme', name, private: true, git: world.mirrors[name], ...(name === 'hooli' ? { protectedBranches: ['main'] } : {}) });
      actions.addWorkflow(`acme/${name}`, { file: 'mirror-sync-down.yml', name: 'mirror sync-down', runName: 'mirror sync-down ${{ inputs.correlation_id }}', script: () => runner[name]! });
      const checkout = world.sandbox.repo(`runner-${name}`);
      checkout.git('remote', 'add', 'origin', fake.remoteUrl(`acme/${name}`));
      checkout.git('fetch', '-q', 'origin');
      checkout.git('checkout', '-q', '-B', 'main', 'origin/main');
      checkout.git('remote', 'add', 'upstream', world.upstream);
      const done = await checkout.mirrorAsync(['sync-down', '--ci', '--forge', 'forgejo', '--api-url', fake.apiUrl], { env: { FORGEJO_TOKEN: TOKEN } });
      runner[name] = { conclusion: done.code === 0 ? 'success' : 'failure', jobs: [{ name: 'sync-down', labels: ['docker'], log: `${done.stdout}${done.stderr}` }] };
    }
    // a repository without the workflow, and one that does not exist
    fake.addRepo({ owner: 'acme', name: 'globex', private: true, git: world.mirrors.globex });
    world.writeFleet(['hooli', 'clash', 'globex', 'gone'].map((name) => ({ name, url: fake.remoteUrl(`acme/${name}`), forge: 'forgejo', apiUrl: fake.apiUrl })));
  });
  afterAll(async () => {
    await actions?.close();
    await fake?.close();
  });

  it('reports the pull request, the conflict with its files, the missing workflow and the missing repository', async () => {
    const run = await world.control.mirrorAsync(['fleet', 'sync-down', '--json'], { env: { FORGEJO_TOKEN: TOKEN, MIRROR_RUN_POLL_MS: '100' } });
    expect(run.stdout + run.stderr).not.toContain(TOKEN);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    const rows = byName(report.mirrors);
    const pull = fake.pulls('acme/hooli')[0]!;
    expect(pull.head).toMatch(/^mirror\/sync-down-/);
    const hooliRun = actions.runs('acme/hooli')[0]!;
    expect(rows.hooli).toMatchObject({ outcome: 'pull-request', pullRequestUrl: `${fake.url}/acme/hooli/pulls/${pull.number}`, run: { id: hooliRun.id, htmlUrl: `${fake.url}/acme/hooli/actions/runs/${hooliRun.number}` } });
    expect(rows.clash).toMatchObject({ outcome: 'conflict', conflicts: ['app.txt'] });
    expect(rows.globex).toMatchObject({ outcome: 'failed', message: 'no mirror-sync-down.yml workflow on main of acme/globex: run `mirror init` in the mirror and push' });
    expect(rows.gone).toMatchObject({ outcome: 'unreachable', message: `unreachable: acme/gone does not exist on ${fake.apiUrl}, or the token cannot see it` });
    expect(report.summary).toMatchObject({ 'pull-request': 1, conflict: 1, failed: 1, unreachable: 1 });
  });
});
