import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pilotRepositoryWorkflows } from '../../../src/app/audit/pilot.js';
import { auditRepositoryWorkflows } from '../../../src/app/audit/workflows.js';
import { packageRoot } from '../../../src/paths.js';
import { Sandbox, type Repo } from '../../helpers/sandbox.js';

const FIXTURES = join(packageRoot, 'fixtures', 'workflows');

/** The single-runner repository: every job on [self-hosted, lab], its scripts beside it. */
function singleRunnerRepo(): Repo {
  const repo = new Sandbox().repo();
  for (const name of readdirSync(join(FIXTURES, 'single-runner'))) repo.write(`.github/workflows/${name}`, readFileSync(join(FIXTURES, 'single-runner', name)));
  for (const name of readdirSync(join(FIXTURES, 'single-runner-scripts', 'scripts'))) repo.write(`scripts/${name}`, readFileSync(join(FIXTURES, 'single-runner-scripts', 'scripts', name)));
  repo.commit('Single runner');
  return repo;
}

const status = (repo: Repo) => repo.git('status', '--porcelain');

describe('mirror audit workflows --pilot on a real repository', () => {
  it('dry run (the default) prints the diff and writes nothing; --write writes and the audit agrees', async () => {
    const repo = singleRunnerRepo();
    const dry = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'lint', '--lane-label', 'burst']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('pilot      movable job "lint" of .github/workflows/ci.yml on the external lane "burst"');
    expect(dry.stdout).toContain('+++ b/.github/workflows/pilot-lint.yml');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(status(repo)).toBe('');

    const written = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'lint', '--lane-label', 'burst', '--write', '--json']);
    expect(written.code, written.stderr).toBe(0);
    const outcome = JSON.parse(written.stdout) as { status: string; written: string[]; changes: { path: string; after: string }[] };
    expect(outcome.written).toEqual(['.github/workflows/pilot-lint.yml', '.github/workflows/ci.yml']);
    for (const change of outcome.changes) expect(readFileSync(join(repo.dir, change.path), 'utf8')).toBe(change.after);
    expect(status(repo).split('\n').sort()).toEqual([' M .github/workflows/ci.yml', '?? .github/workflows/pilot-lint.yml']);

    // the audit of the written files: the pilot external-safe on the lane, the rest classed as before
    const audit = await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' });
    const pilot = audit.workflows.find((workflow) => workflow.file === '.github/workflows/pilot-lint.yml')!;
    expect(pilot).toMatchObject({ class: 'external-safe', triggers: ['pull_request'], flags: [] });
    expect(Object.fromEntries(audit.workflows.find((workflow) => workflow.file === '.github/workflows/ci.yml')!.jobs.map((job) => [job.id, job.class]))).toEqual({
      lint: 'external-safe',
      unit: 'external-safe',
      e2e: 'local-only',
      'gpu-bench': 'local-only',
    });
  });

  it('a job that must not be piloted: exit 1, the reason, nothing written', () => {
    const repo = singleRunnerRepo();
    const run = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'link-check', '--lane-label', 'burst', '--write']);
    expect(run.code).toBe(1);
    // its script reaches a private address: read from scripts/check-links.sh
    expect(run.stdout).toMatch(/refused {4}\.github\/workflows\/docs\.yml:link-check may not be piloted: it is local-only: reaches a private address \(192\.168\.10\.20, in scripts\/check-links\.sh\)/);
    expect(run.stdout).toContain('nothing written');
    expect(status(repo)).toBe('');
  });

  it('a failing re-audit writes nothing (exit 1): a lane label the policy declares hardware', async () => {
    const repo = singleRunnerRepo();
    repo.policy('lanes:\n  hardwareLabels: [fpga-burst]\n  laneLabel: fpga-burst\n').commit('Policy');
    const outcome = await pilotRepositoryWorkflows({ cwd: repo.dir, job: 'lint', write: true });
    expect(outcome.status).toBe('refused');
    expect(outcome.reason).toMatch(/failed its re-audit.*pilot-lint\.yml is local-only.*"fpga-burst" \(policy lanes\.hardwareLabels\)/);
    expect(outcome.written).toEqual([]);
    expect(existsSync(join(repo.dir, '.github/workflows/pilot-lint.yml'))).toBe(false);
    expect(status(repo)).toBe('');
    const run = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'lint', '--write']);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('re-audit   ✗ failed');
    expect(status(repo)).toBe('');
  });

  it('no lane label anywhere is a usage error (exit 2)', () => {
    const repo = singleRunnerRepo();
    const run = repo.mirror(['audit', 'workflows', '--pilot']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/the pilot needs the external lane's runs-on label/);
    expect(repo.mirror(['audit', 'workflows', '--pilot', '--job', 'nope', '--lane-label', 'burst']).code).toBe(2);
  });
});
