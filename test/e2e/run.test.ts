import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RUNS_TOKEN, runsWorld, type RunsWorld } from '../helpers/runs-world.js';

let world: RunsWorld;
beforeAll(async () => {
  world = await runsWorld('github', {
    script: (inputs) =>
      inputs.run_name === 'forever'
        ? { stuck: true }
        : { conclusion: inputs.run_name === 'broken' ? 'failure' : 'success', artifacts: [{ name: `experiment-${inputs.run_name}`, files: { 'metrics.json': JSON.stringify({ accuracy: inputs.parameters === 'big' ? 0.9 : 0.7 }) } }] },
  });
});
afterAll(() => world.close());

const cli = (args: string[]) => world.repo.mirrorAsync([...args, ...world.cliArgs], { env: world.cliEnv });

describe('mirror run (CLI)', () => {
  it('dispatch --json prints { run: { id, url, htmlUrl, workflow, ref, inputs } }; watch exits 0 with plain lines', async () => {
    const run = await cli(['run', 'dispatch', 'experiment', '-f', 'run_name=cli', '-f', 'dataset=full', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { run: dispatched } = JSON.parse(run.stdout);
    expect(Object.keys(dispatched).sort()).toEqual(['foundBy', 'htmlUrl', 'id', 'inputs', 'ref', 'url', 'workflow']);
    expect(dispatched.inputs).toMatchObject({ run_name: 'cli', dataset: 'full' });
    expect(run.stdout + run.stderr).not.toContain(RUNS_TOKEN);
    const watch = await cli(['run', 'watch', String(dispatched.id)]);
    expect(watch.code, watch.stderr).toBe(0);
    expect(watch.stdout).toMatch(new RegExp(`^run ${dispatched.id}: queued$`, 'm'));
    expect(watch.stdout).toMatch(new RegExp(`^run ${dispatched.id}: success`, 'm'));
  });

  it('a bad input: exit 2, the field named, nothing dispatched', async () => {
    const before = world.actions.runs().length;
    const run = await cli(['run', 'dispatch', 'experiment', '-f', 'run_name=x', '-f', 'dataset=everything']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/dataset: must be one of sample, full, not "everything"/);
    expect(world.actions.runs()).toHaveLength(before);
  });

  it('a failing run exits 1; a watch that times out exits 3', async () => {
    const failed = await cli(['run', 'dispatch', 'experiment', '-f', 'run_name=broken', '--watch']);
    expect(failed.code, failed.stderr).toBe(1);
    expect(failed.stdout).toMatch(/: failure/);
    const stuck = JSON.parse((await cli(['run', 'dispatch', 'experiment', '-f', 'run_name=forever', '--json'])).stdout).run.id;
    const watch = await cli(['run', 'watch', String(stuck), '--timeout', '1s']);
    expect(watch.code).toBe(3);
    expect(watch.stdout).toMatch(/timeout passed/);
  });

  it('--matrix, watch --all, download --all, compare --format markdown', async () => {
    const matrix = join(world.sandbox.root, 'cli-sweep.yml');
    writeFileSync(matrix, '- { run_name: small, parameters: small }\n- { run_name: big, parameters: big }\n');
    const batch = await cli(['run', 'dispatch', 'experiment', '--matrix', matrix]);
    expect(batch.code, batch.stderr).toBe(0);
    expect(batch.stdout).toMatch(/batch batch-\S+: 2 runs/);
    expect((await cli(['run', 'watch', '--all'])).code).toBe(0);
    const download = await cli(['run', 'download', '--all', '--dir', 'out']);
    expect(download.code, download.stderr).toBe(0);
    expect(download.stdout.match(/digest verified/g)).toHaveLength(2);
    const compare = await cli(['run', 'compare', '--all', '--format', 'markdown']);
    expect(compare.code, compare.stderr).toBe(0);
    expect(compare.stdout).toMatch(/^\| run \| result \| parameters \| run_name \| accuracy \|$/m);
    expect(compare.stdout).toMatch(/\| success \| big \| big \| 0\.9 \|/);
  });
});
