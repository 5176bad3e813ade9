import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditRepositoryWorkflows } from '../../../src/app/audit/workflows.js';
import AuditWorkflows from '../../../src/commands/audit/workflows.js';
import type { AuditResult } from '../../../src/core/audit/types.js';
import { packageRoot } from '../../../src/paths.js';
import { Sandbox, type Repo } from '../../helpers/sandbox.js';

const FIXTURES = join(packageRoot, 'fixtures', 'workflows');

/** A real repository holding the fixture workflows where each forge looks for them. */
function fixtureRepo(options: { only?: string[]; forgejo?: boolean } = {}): Repo {
  const repo = new Sandbox().repo();
  for (const name of readdirSync(join(FIXTURES, 'github'))) {
    if (options.only && !options.only.includes(name)) continue;
    repo.write(`.github/workflows/${name}`, readFileSync(join(FIXTURES, 'github', name)));
  }
  if (options.forgejo !== false) {
    for (const name of readdirSync(join(FIXTURES, 'forgejo'))) repo.write(`.forgejo/workflows/${name}`, readFileSync(join(FIXTURES, 'forgejo', name)));
  }
  repo.write('src/index.js', 'export {};\n');
  repo.commit('Add workflows');
  return repo;
}

const EXPECTED: Record<string, string> = {
  '.github/workflows/broken.yml': 'invalid',
  '.github/workflows/build-deploy.yml': 'needs-split',
  '.github/workflows/call-reusable.yml': 'needs-split',
  '.github/workflows/ci.yml': 'external-safe',
  '.github/workflows/gpu-bench.yml': 'local-only',
  '.github/workflows/oidc-deploy.yml': 'local-only',
  '.github/workflows/pr-target.yml': 'local-only',
  '.github/workflows/release-npm.yml': 'needs-split',
  '.github/workflows/reusable-deploy.yml': 'local-only',
  '.github/workflows/reusable-lint.yml': 'external-safe',
  '.forgejo/workflows/ci.yml': 'external-safe',
};

describe('auditRepositoryWorkflows over the fixture repository', () => {
  it('classifies every file, relative to the repository root, from any subdirectory', async () => {
    const repo = fixtureRepo();
    for (const cwd of [repo.dir, join(repo.dir, 'src')]) {
      const result = await auditRepositoryWorkflows({ cwd });
      expect(Object.fromEntries(result.workflows.map((w) => [w.file, w.class]))).toEqual(EXPECTED);
      expect(result.directories).toEqual(['.github/workflows', '.forgejo/workflows']);
      expect(result.summary).toEqual({ 'external-safe': 3, 'local-only': 4, 'needs-split': 3, invalid: 1 });
    }
  });

  it('names the evidence and what would move', async () => {
    const result = await auditRepositoryWorkflows({ cwd: fixtureRepo().dir });
    const byFile = new Map(result.workflows.map((w) => [w.file, w]));
    const release = byFile.get('.github/workflows/release-npm.yml')!;
    expect(release.move).toEqual([{ job: 'release', steps: ['Publish'] }]);
    expect(release.jobs[0]!.reasons).toEqual(['uses secrets.NPM_TOKEN in step "Publish"', 'publishes a package (npm publish --access public) in step "Publish"']);
    expect(byFile.get('.github/workflows/build-deploy.yml')!.move).toEqual([{ job: 'deploy' }]);
    expect(byFile.get('.github/workflows/gpu-bench.yml')!.jobs[0]!.reasons).toEqual([
      'runs on [self-hosted, linux, gpu, a100], needing what only particular runners have: "gpu", "a100" (names an accelerator)',
    ]);
    expect(byFile.get('.github/workflows/oidc-deploy.yml')!.jobs[0]!.reasons[0]).toBe('requests an OIDC token (workflow id-token: write) to assume cloud or registry identities');
    const prTarget = byFile.get('.github/workflows/pr-target.yml')!;
    expect(prTarget.jobs.find((j) => j.id === 'preview')!.notes[0]).toMatch(/^danger: .*checks out untrusted code/);
    const broken = byFile.get('.github/workflows/broken.yml')!;
    expect(broken.errors![0]).toMatchObject({ line: 10, message: expect.stringMatching(/block sequence/) });
  });

  it('no workflow directory: an empty result with a note', async () => {
    const repo = new Sandbox().repo();
    repo.write('README.md', '# x\n').commit('Initial');
    const result = await auditRepositoryWorkflows({ cwd: repo.dir });
    expect(result.workflows).toEqual([]);
    expect(result.notes).toEqual(['no workflow directory (.github/workflows, .forgejo/workflows, .gitea/workflows): nothing to classify']);
  });

  it('outside a git repository: looks in the directory itself, and says so', async () => {
    const dir = new Sandbox().root;
    mkdirSync(join(dir, '.gitea', 'workflows'), { recursive: true });
    const result = await auditRepositoryWorkflows({ cwd: dir });
    expect(result.directories).toEqual(['.gitea/workflows']);
    expect(result.notes[0]).toMatch(/not inside a git repository/);
  });
});

describe('mirror audit workflows (the command class, in process)', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  function capture(): { out: () => string; err: () => string } {
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
    return { out: () => out, err: () => err };
  }

  it('--json returns the data and prints it as JSON', async () => {
    const repo = fixtureRepo();
    const io = capture();
    const result = (await AuditWorkflows.run(['--json', '-C', repo.dir], packageRoot)) as AuditResult;
    vi.restoreAllMocks();
    expect(process.exitCode ?? 0).toBe(0);
    const printed = JSON.parse(io.out()) as AuditResult;
    expect(printed).toEqual(JSON.parse(JSON.stringify(result)));
    for (const workflow of printed.workflows) {
      expect(Object.keys(workflow)).toEqual(expect.arrayContaining(['file', 'class', 'jobs']));
      for (const job of workflow.jobs) expect(Object.keys(job)).toEqual(expect.arrayContaining(['id', 'class', 'reasons']));
    }
  });

  it('--fail-on local-only exits 1 and names the files', async () => {
    const repo = fixtureRepo();
    const io = capture();
    await AuditWorkflows.run(['--fail-on', 'local-only', '-C', repo.dir], packageRoot);
    vi.restoreAllMocks();
    expect(process.exitCode).toBe(1);
    expect(io.out()).toMatch(/✗ 8 workflows at or beyond local-only: .github\/workflows\/broken.yml, /);
  });
});

describe('mirror audit workflows --format sarif (the gate for code scanning)', () => {
  afterEach(() => {
    process.exitCode = undefined;
    vi.restoreAllMocks();
  });

  it('one result per reason and flag, at the file and line; --fail-on makes the failing reasons errors and exits 1', async () => {
    const repo = fixtureRepo({ only: ['pr-target.yml', 'ci.yml', 'reusable-lint.yml', 'broken.yml'], forgejo: false });
    let out = '';
    let err = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
    await AuditWorkflows.run(['--format', 'sarif', '--fail-on', 'local-only', '-C', repo.dir], packageRoot);
    vi.restoreAllMocks();
    expect(process.exitCode).toBe(1);
    expect(err).toMatch(/✗ 2 workflows at or beyond local-only: .github\/workflows\/broken.yml, .github\/workflows\/pr-target.yml/);
    const log = JSON.parse(out) as { version: string; runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[] }[] }[] };
    expect(log.version).toBe('2.1.0');
    const rows = log.runs[0]!.results.map((r) => [r.ruleId, r.level, r.locations[0]!.physicalLocation.artifactLocation.uri, r.locations[0]!.physicalLocation.region?.startLine]);
    // broken.yml: the YAML parser reports three errors on its line 10, one result each
    expect(rows).toEqual([
      ['invalid-workflow', 'error', '.github/workflows/broken.yml', 10],
      ['invalid-workflow', 'error', '.github/workflows/broken.yml', 10],
      ['invalid-workflow', 'error', '.github/workflows/broken.yml', 10],
      ['local-only/permissions', 'error', '.github/workflows/pr-target.yml', 9],
      ['local-only/permissions', 'error', '.github/workflows/pr-target.yml', 22],
      ['dangerous-checkout', 'error', '.github/workflows/pr-target.yml', 12],
    ]);
    expect(log.runs[0]!.tool.driver.rules.map((rule) => rule.id)).toEqual(['invalid-workflow', 'local-only/permissions', 'dangerous-checkout']);
  });
});

describe('mirror audit workflows (the built CLI)', () => {
  const sandbox = new Sandbox();

  it('prints a table by default and exits 0', () => {
    const repo = fixtureRepo();
    const run = sandbox.mirror(repo.dir, ['audit', 'workflows']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^FILE +CLASS +JOBS$/m);
    expect(run.stdout).toMatch(/^\.github\/workflows\/release-npm\.yml +needs-split +release$/m);
    expect(run.stdout).toMatch(/→ would move: steps "Publish" of job "release"/);
    expect(run.stdout).toMatch(/11 workflows: 3 external-safe, 4 local-only, 3 needs-split, 1 invalid/);
  });

  it('--format markdown writes a decision record', () => {
    const run = sandbox.mirror(fixtureRepo().dir, ['audit', 'workflows', '--format', 'markdown']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^# CI workflow trust audit$/m);
    expect(run.stdout).toMatch(/^\| `\.github\/workflows\/ci\.yml` \| external-safe \|/m);
    expect(run.stdout).toMatch(/^## `\.github\/workflows\/gpu-bench\.yml`: local-only$/m);
  });

  it('--fail-on: 1 at or beyond the class, 0 below it', () => {
    const all = fixtureRepo();
    expect(sandbox.mirror(all.dir, ['audit', 'workflows', '--fail-on', 'local-only']).code).toBe(1);
    expect(sandbox.mirror(all.dir, ['audit', 'workflows', '--fail-on', 'needs-split', '--json']).code).toBe(1);

    const publicCi = fixtureRepo({ only: ['ci.yml', 'reusable-lint.yml'] });
    const ok = sandbox.mirror(publicCi.dir, ['audit', 'workflows', '--fail-on', 'local-only']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/✓ no workflow at or beyond local-only/);

    const localOnly = fixtureRepo({ only: ['gpu-bench.yml'], forgejo: false });
    expect(sandbox.mirror(localOnly.dir, ['audit', 'workflows', '--fail-on', 'needs-split']).code).toBe(0);
    expect(sandbox.mirror(localOnly.dir, ['audit', 'workflows', '--fail-on', 'local-only']).code).toBe(1);

    const broken = fixtureRepo({ only: ['broken.yml'], forgejo: false });
    const invalid = sandbox.mirror(broken.dir, ['audit', 'workflows', '--fail-on', 'needs-split']);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/line 10:1: A block sequence may not be used as an implicit map key/);
  });

  it('no workflows: exit 0 with a note, even with --fail-on', () => {
    const repo = sandbox.repo('empty');
    repo.write('README.md', '# x\n').commit('Initial');
    const run = sandbox.mirror(repo.dir, ['audit', 'workflows', '--fail-on', 'local-only', '--json']);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ workflows: [], notes: [expect.stringMatching(/no workflow directory/)] });
  });

  it('usage errors exit 2', () => {
    const repo = fixtureRepo();
    expect(sandbox.mirror(repo.dir, ['audit', 'workflows', '--fail-on', 'sometimes']).code).toBe(2);
    const missing = sandbox.mirror(repo.dir, ['audit', 'workflows', '-C', join(repo.dir, 'nowhere')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/not a directory/);
  });
});
