import { execFileSync } from 'node:child_process';
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
    const dry = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'build-docs', '--lane-label', 'burst']);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('pilot      movable job "build-docs" of .github/workflows/docs.yml on the external lane "burst"');
    expect(dry.stdout).toContain('+++ b/.github/workflows/pilot-build-docs.yml');
    expect(dry.stdout).toContain('dry run: nothing written');
    expect(status(repo)).toBe('');

    const written = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'build-docs', '--lane-label', 'burst', '--write', '--json']);
    expect(written.code, written.stderr).toBe(0);
    const outcome = JSON.parse(written.stdout) as { status: string; written: string[]; changes: { path: string; after: string }[] };
    expect(outcome.written).toEqual(['.github/workflows/pilot-build-docs.yml', '.github/workflows/docs.yml']);
    for (const change of outcome.changes) expect(readFileSync(join(repo.dir, change.path), 'utf8')).toBe(change.after);
    expect(status(repo).split('\n').sort()).toEqual([' M .github/workflows/docs.yml', '?? .github/workflows/pilot-build-docs.yml']);

    // the audit of the written files: the pilot external-safe on the lane, the rest classed as before
    const audit = await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' });
    const pilot = audit.workflows.find((workflow) => workflow.file === '.github/workflows/pilot-build-docs.yml')!;
    expect(pilot).toMatchObject({ class: 'external-safe', triggers: ['pull_request'], flags: [] });
    expect(Object.fromEntries(audit.workflows.find((workflow) => workflow.file === '.github/workflows/docs.yml')!.jobs.map((job) => [job.id, job.class]))).toEqual({
      'build-docs': 'external-safe',
      'link-check': 'local-only',
    });
  });

  it('lint, which unit needs: written as a job of ci.yml, and the audit agrees', async () => {
    const repo = singleRunnerRepo();
    const written = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'lint', '--lane-label', 'burst', '--write']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('pilot job  "pilot-lint" in .github/workflows/ci.yml, beside "lint" (for pull requests)');
    expect(written.stdout).toContain('wrote      .github/workflows/ci.yml');
    expect(status(repo)).toBe(' M .github/workflows/ci.yml');
    const audit = await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' });
    expect(Object.fromEntries(audit.workflows.find((workflow) => workflow.file === '.github/workflows/ci.yml')!.jobs.map((job) => [job.id, job.class]))).toEqual({
      lint: 'external-safe',
      'pilot-lint': 'external-safe',
      unit: 'external-safe',
      e2e: 'local-only',
      'gpu-bench': 'local-only',
    });
    // on the lane already: not movable, said so
    const pilot = audit.workflows.find((workflow) => workflow.file === '.github/workflows/ci.yml')!.jobs.find((job) => job.id === 'pilot-lint')!;
    expect(pilot.movable).toBeUndefined();
    expect(pilot.notes).toContain('on the external lane "burst"');
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
    const outcome = await pilotRepositoryWorkflows({ cwd: repo.dir, job: 'build-docs', write: true });
    expect(outcome.status).toBe('refused');
    expect(outcome.reason).toMatch(/failed its re-audit.*pilot-build-docs\.yml is local-only.*"fpga-burst" \(policy lanes\.hardwareLabels\)/);
    expect(outcome.written).toEqual([]);
    expect(existsSync(join(repo.dir, '.github/workflows/pilot-build-docs.yml'))).toBe(false);
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

  it('rollback: the printed steps undo the pilot, before and after it is committed (git revert)', async () => {
    const repo = singleRunnerRepo();
    const before = await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' });
    const head = repo.git('rev-parse', 'HEAD');
    const written = repo.mirror(['audit', 'workflows', '--pilot', '--job', 'build-docs', '--lane-label', 'burst', '--write']);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain('rollback   before it is committed: `git restore -- .github/workflows/docs.yml && rm .github/workflows/pilot-build-docs.yml`');
    expect(written.stdout).toContain('rollback   once committed (commit these files alone): `git revert <that commit>` restores .github/workflows/docs.yml, .github/workflows/pilot-build-docs.yml as they were');
    expect(written.stdout).toMatch(/rollback {3}nothing else to undo: the pilot registers no runner, moves no secret and changes no branch protection/);

    // before committing: the command as printed
    const undo = /before it is committed: `([^`]+)`/.exec(written.stdout)![1]!;
    execFileSync('sh', ['-c', undo], { cwd: repo.dir });
    expect(status(repo)).toBe('');

    // committed, then reverted: the tree is the original's, and the audit says what it said
    expect(repo.mirror(['audit', 'workflows', '--pilot', '--job', 'build-docs', '--lane-label', 'burst', '--write']).code).toBe(0);
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'Pilot build-docs on the burst lane');
    repo.git('revert', '--no-edit', 'HEAD');
    expect(repo.git('diff', head, 'HEAD', '--stat')).toBe('');
    expect(existsSync(join(repo.dir, '.github/workflows/pilot-build-docs.yml'))).toBe(false);
    expect(await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' })).toEqual(before);
  });

  it('a split that hands files over, written (Forgejo paths): the pilot job and the wiring in the workflow, re-audited on disk', async () => {
    const repo = new Sandbox().repo();
    repo.write('.forgejo/workflows/ci.yml', [
      'name: ci',
      'on: [push, pull_request]',
      'jobs:',
      '  build:',
      '    runs-on: lab',
      '    permissions:',
      '      contents: read',
      '    steps:',
      '      - uses: https://code.forgejo.org/actions/checkout@v4',
      '      - run: npm ci',
      '      - run: npm run build',
      '      - name: Publish preview',
      '        run: npm publish --tag pr',
      '        env:',
      '          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}',
      '',
    ].join('\n'));
    repo.commit('CI');
    const run = repo.mirror(['audit', 'workflows', '--pilot', '--lane-label', 'burst', '--artifact', 'dist', '--write', '--json']);
    expect(run.code, run.stderr).toBe(0);
    const outcome = JSON.parse(run.stdout) as { written: string[]; pilot: unknown; handoff: { paths: string[]; upload: string } };
    expect(outcome.written).toEqual(['.forgejo/workflows/ci.yml']);
    expect(outcome.pilot).toEqual({ path: '.forgejo/workflows/ci.yml', job: 'pilot-build', placement: 'job' });
    expect(outcome.handoff).toMatchObject({ paths: ['dist'], upload: 'https://code.forgejo.org/forgejo/upload-artifact@v4' });
    expect(status(repo)).toBe(' M .forgejo/workflows/ci.yml');
    const audit = await auditRepositoryWorkflows({ cwd: repo.dir, laneLabel: 'burst' });
    expect(Object.fromEntries(audit.workflows[0]!.jobs.map((job) => [job.id, job.class]))).toEqual({ 'pilot-build': 'external-safe', build: 'needs-split' });
    const text = readFileSync(join(repo.dir, '.forgejo/workflows/ci.yml'), 'utf8');
    expect(text).toContain('    needs: pilot-build\n');
    expect(text).toContain('        run: tar -cf pilot-build.tar -- dist\n');
    expect(text).toContain('      - name: Fetch dist from job "pilot-build"\n');

    // the pilot job is on the lane already: not offered again
    const again = repo.mirror(['audit', 'workflows', '--pilot', '--lane-label', 'burst', '--job', 'pilot-build']);
    expect(again.code, again.stdout).toBe(1);
    expect(again.stdout).toContain('refused    .forgejo/workflows/ci.yml:pilot-build may not be piloted: it runs on the lane "burst" already');
  });
});

