import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatchRuns } from '../../../src/app/run/dispatch.js';
import { downloadRuns } from '../../../src/app/run/download.js';
import { compareRunResults, listRuns, showRun } from '../../../src/app/run/list.js';
import { loadBatch, loadRun } from '../../../src/app/run/records.js';
import { watchRuns } from '../../../src/app/run/watch.js';
import { isMirrorError } from '../../../src/errors.js';
import type { FakeRunScript } from '../../helpers/fake-actions-runs.js';
import { RUNS_TOKEN, runsWorld, type RunsWorld } from '../../helpers/runs-world.js';

let world: RunsWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

const noSleep = async () => undefined;
const results = (inputs: Record<string, string>): FakeRunScript => ({
  conclusion: 'success',
  artifacts: [{ name: `experiment-${inputs.run_name}`, files: { 'metrics.json': JSON.stringify({ score: Number(inputs.parameters?.replace(/\D/g, '') || 1) / 10 }), 'summary.txt': `run ${inputs.run_name}\n` } }],
});

async function failure(promise: Promise<unknown>) {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!isMirrorError(error)) throw new Error(`expected a MirrorError, got ${String(error)}`);
  return error;
}

describe('mirror run dispatch (app)', () => {
  it('GitHub 200 with return_run_details: the run comes from the answer; inputs recorded', async () => {
    world = await runsWorld('github', { script: results });
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=alpha', 'dataset=full'] });
    const [run] = world.actions.runs();
    expect(result.run).toMatchObject({ id: run!.id, workflow: 'experiment.yml', ref: 'main', foundBy: 'dispatch-answer' });
    expect(result.run.htmlUrl).toBe(`${world.fake.url}/acme/widgets-mirror/actions/runs/${run!.id}`);
    const dispatch = world.fake.requests.find((request) => request.method === 'POST')!;
    expect(dispatch.body).toMatchObject({ ref: 'main', return_run_details: true, inputs: { run_name: 'alpha', dataset: 'full' } });
    // the correlation id is set even when unused, so a record always has one
    expect(run!.inputs.correlation_id).toMatch(/^mr-/);
    expect(loadRun(join(world.repo.dir, '.git'), run!.id)?.inputs).toMatchObject({ run_name: 'alpha', dataset: 'full' });
  });

  it('204 (GitHub Enterprise Server before return_run_details): found by correlation id, through list lag', async () => {
    world = await runsWorld('github', { dispatch: 'legacy', listLag: 2 });
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment.yml', fields: ['run_name=beta'], sleep: noSleep });
    expect(result.run.foundBy).toBe('correlation-id');
    expect(result.run.id).toBe(world.actions.runs()[0]!.id);
    expect(world.fake.requests.filter((request) => /\/workflows\/experiment\.yml\/runs$/.test(request.apiPath)).length).toBeGreaterThanOrEqual(3);
  });

  it('a server that refuses the return_run_details key is dispatched the old way', async () => {
    world = await runsWorld('github', { dispatch: 'refuse-key' });
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=gamma'], sleep: noSleep });
    expect(result.run.foundBy).toBe('correlation-id');
    expect(world.fake.requests.filter((request) => request.method === 'POST')).toHaveLength(2);
    expect(world.actions.runs()).toHaveLength(1);
  });

  it('concurrent dispatchers each find their own run, never the newest', async () => {
    world = await runsWorld('github', { dispatch: 'legacy', listLag: 1 });
    const [first, second, third] = await Promise.all(
      ['one', 'two', 'three'].map((name) => dispatchRuns({ ...world!.connection, workflow: 'experiment', fields: [`run_name=${name}`], sleep: noSleep })),
    );
    for (const [result, name] of [[first, 'one'], [second, 'two'], [third, 'three']] as const) {
      expect(world.actions.run(result!.run.id).inputs.run_name).toBe(name);
    }
    expect(new Set([first!.run.id, second!.run.id, third!.run.id]).size).toBe(3);
  });

  it.each([
    ['an unknown input', ['run_name=a', 'learning_rate=0.1'], 'learning_rate'],
    ['a choice outside its options', ['run_name=a', 'dataset=huge'], 'dataset'],
    ['a retention outside its options', ['run_name=a', 'retention_days=1000'], 'retention_days'],
    ['a missing required input', ['run_name='], 'run_name'],
  ])('refuses %s with exit 2, nothing dispatched', async (_, fields, field) => {
    world ??= await runsWorld('github');
    world.fake.resetLog();
    const error = await failure(dispatchRuns({ ...world.connection, workflow: 'experiment', fields }));
    expect(error.exitCode).toBe(2);
    expect(error.details.map((detail) => detail.field)).toContain(field);
    expect(world.fake.requests.filter((request) => request.method === 'POST')).toEqual([]);
  });

  it('refuses a public repository unless --allow-public', async () => {
    world = await runsWorld('github', { private: false });
    const error = await failure(dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=a'] }));
    expect(error.code).toBe('run-public-repository');
    expect(world.actions.runs()).toEqual([]);
    await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=a'], allowPublic: true });
    expect(world.actions.runs()).toHaveLength(1);
  });

  it('a workflow not pushed to the ref is a usage error', async () => {
    world = await runsWorld('github');
    const error = await failure(dispatchRuns({ ...world.connection, workflow: 'train', fields: [] }));
    expect(error.code).toBe('run-no-workflow');
  });
});

describe('mirror run watch, download, compare (app)', () => {
  it('a batch of three: dispatched, recorded, watched, downloaded, compared', async () => {
    world = await runsWorld('github', { script: results });
    const matrix = join(world.sandbox.root, 'sweep.yml');
    writeFileSync(matrix, '- { parameters: "--lr 3", run_name: a }\n- { parameters: "--lr 9", run_name: b }\n- { parameters: "--lr 5", run_name: c }\n');
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['dataset=full'], matrixFile: matrix });
    expect(result.batch?.runs).toHaveLength(3);
    const batch = loadBatch(join(world.repo.dir, '.git'));
    expect(batch.runs).toEqual(result.batch!.runs.map((run) => run.id));
    expect(world.actions.runs().map((run) => run.inputs.dataset)).toEqual(['full', 'full', 'full']);

    const progress: string[] = [];
    const watched = await watchRuns({ ...world.connection, ids: [], all: true, sleep: noSleep, onProgress: (_, lines) => progress.push(...lines) });
    expect(watched.exitCode).toBe(0);
    expect(progress.some((line) => /job experiment on gpu-box-1: in_progress/.test(line))).toBe(true);
    expect(progress.filter((line) => /: success$/.test(line) && /^run \d+: success$/.test(line))).toHaveLength(3);

    const dir = join(world.sandbox.root, 'out');
    const downloaded = await downloadRuns({ ...world.connection, ids: [], all: true, dir });
    expect(downloaded.runs).toHaveLength(3);
    const first = batch.runs[0]!;
    expect(JSON.parse(readFileSync(join(dir, String(first), 'experiment-a', 'metrics.json'), 'utf8'))).toEqual({ score: 0.3 });
    // storage got every download, never a token
    expect(world.actions.storageRequests.length).toBe(3);
    expect(world.actions.storageRequests.every((request) => !request.authorization)).toBe(true);

    const comparison = await compareRunResults({ ...world.connection, ids: [], all: true });
    expect(comparison.runs.map((run) => [run.inputs.run_name, run.metrics.score])).toEqual([['a', 0.3], ['b', 0.9], ['c', 0.5]]);
    expect(comparison.best.score).toBe(batch.runs[1]);
  });

  it('a failing run exits 1; a run that never ends times out with 3', async () => {
    world = await runsWorld('github', { script: (inputs) => (inputs.run_name === 'stuck' ? { stuck: true } : { conclusion: 'failure' }) });
    const failed = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=bad'] });
    expect((await watchRuns({ ...world.connection, ids: [failed.run.id], sleep: noSleep })).exitCode).toBe(1);
    const stuck = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=stuck'] });
    const start = Date.now();
    let now = start;
    const before = world.actions.remaining();
    world.fake.resetLog();
    const result = await watchRuns({ ...world.connection, ids: [stuck.run.id], timeoutMs: 60_000, clock: () => now, sleep: async (ms) => void (now += ms) });
    expect(result).toMatchObject({ exitCode: 3, timedOut: true });
    expect(now - start).toBe(60_000);
    // unchanged polls were conditional: answered 304, not charged
    const polls = world.fake.requests.filter((request) => request.apiPath.startsWith(`/repos/acme/widgets-mirror/actions/runs/${stuck.run.id}`));
    expect(polls.length).toBeGreaterThan(6);
    expect(before - world.actions.remaining()).toBeLessThanOrEqual(4);
  });

  it('polls through 5xx and rate limits', async () => {
    world = await runsWorld('github');
    const run = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=x'] });
    world.fake.fail({ status: 502, times: 2, path: `/repos/acme/widgets-mirror/actions/runs/${run.run.id}` });
    world.fake.fail({ status: 429, times: 1, headers: { 'retry-after': '0' }, path: /\/jobs$/ });
    expect((await watchRuns({ ...world.connection, ids: [run.run.id], sleep: noSleep })).exitCode).toBe(0);
  });

  it('an expired artifact is a clear error; a corrupt one writes nothing; --logs saves job logs', async () => {
    world = await runsWorld('github', {
      script: (inputs) => ({
        conclusion: 'success',
        jobs: [{ name: 'train', log: 'epoch 1 loss 0.5\n' }],
        artifacts: [{ name: 'results', files: { 'metrics.json': '{"a":1}' }, ...(inputs.run_name === 'old' ? { expired: true } : {}), ...(inputs.run_name === 'bad' ? { wrongDigest: true } : {}) }],
      }),
    });
    const ids: Record<string, number> = {};
    for (const name of ['old', 'bad', 'good']) {
      ids[name] = (await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: [`run_name=${name}`] })).run.id;
      await watchRuns({ ...world.connection, ids: [ids[name]!], sleep: noSleep });
    }
    const expired = await failure(downloadRuns({ ...world.connection, ids: [ids.old!], dir: join(world.sandbox.root, 'old') }));
    expect(expired).toMatchObject({ code: 'run-artifact-expired', exitCode: 2 });
    const corrupt = await failure(downloadRuns({ ...world.connection, ids: [ids.bad!], dir: join(world.sandbox.root, 'bad') }));
    expect(corrupt.code).toBe('run-artifact-corrupt');
    expect(existsSync(join(world.sandbox.root, 'bad', 'results'))).toBe(false);
    const good = await downloadRuns({ ...world.connection, ids: [ids.good!], dir: join(world.sandbox.root, 'good'), logs: true });
    expect(readFileSync(good.runs[0]!.logs[0]!, 'utf8')).toBe('epoch 1 loss 0.5\n');
    expect(readFileSync(join(world.sandbox.root, 'good', 'results', 'metrics.json'), 'utf8')).toBe('{"a":1}');
    expect(world.actions.storageRequests.every((request) => !request.authorization)).toBe(true);
  });

  it('list and show: inputs as recorded, runners, labels, durations', async () => {
    world = await runsWorld('github', { script: results });
    const run = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=show-me'] });
    await watchRuns({ ...world.connection, ids: [run.run.id], sleep: noSleep });
    const { runs } = await listRuns({ ...world.connection, workflow: 'experiment', limit: 5 });
    expect(runs[0]).toMatchObject({ id: run.run.id, conclusion: 'success', runners: ['gpu-box-1'], labels: ['linux', 'self-hosted', 'x64'], durationMs: 60_000 });
    expect(runs[0]!.inputs).toMatchObject({ run_name: 'show-me' });
    const shown = await showRun({ ...world.connection, id: run.run.id });
    expect(shown.jobs[0]!.steps.map((step) => step.conclusion)).toEqual(['success', 'success', 'success']);
    expect(shown.artifacts.map((artifact) => artifact.name)).toEqual(['experiment-show-me']);
  });
});

describe('Forgejo and Gitea', () => {
  it('Forgejo 201 with return_run_info; watch and download through /api/v1', async () => {
    world = await runsWorld('forgejo', { script: results });
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=fj'] });
    expect(result.run.foundBy).toBe('dispatch-answer');
    expect(result.run.htmlUrl).toBe(`${world.fake.url}/acme/widgets-mirror/actions/runs/1`);
    expect(world.fake.requests.find((request) => request.method === 'POST')!.body).toMatchObject({ return_run_info: true });
    expect((await watchRuns({ ...world.connection, ids: [result.run.id], sleep: noSleep })).exitCode).toBe(0);
    const downloaded = await downloadRuns({ ...world.connection, ids: [result.run.id], dir: join(world.sandbox.root, 'fj') });
    expect(downloaded.runs[0]!.artifacts[0]!.files).toEqual(['metrics.json', 'summary.txt']);
    expect(world.fake.requests.every((request) => request.auth === 'valid')).toBe(true);
    expect(world.actions.storageRequests.every((request) => !request.authorization)).toBe(true);
  });

  it('Gitea 204: found through run-name', async () => {
    world = await runsWorld('forgejo', { dispatch: 'gitea' });
    const result = await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=gt'], sleep: noSleep });
    expect(result.run).toMatchObject({ foundBy: 'correlation-id', id: world.actions.runs()[0]!.id });
  });

  it('a forge without the runs API says so', async () => {
    world = await runsWorld('forgejo', { dispatch: 'gitea', noRunsApi: true });
    const error = await failure(dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=old'], sleep: noSleep }));
    expect(error.code).toBe('forge-lacks-feature');
    expect(error.message).toContain('11.0.0');
  });
});

it('the token never appears in recorded runs', async () => {
  world = await runsWorld('github');
  await dispatchRuns({ ...world.connection, workflow: 'experiment', fields: ['run_name=t'] });
  const record = readFileSync(join(world.repo.dir, '.git', 'mirror', 'runs', `${world.actions.runs()[0]!.id}.json`), 'utf8');
  expect(record).not.toContain(RUNS_TOKEN);
});
