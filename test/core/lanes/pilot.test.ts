import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { auditWorkflows, type WorkflowSource } from '../../../src/core/audit/classify.js';
import type { AuditOptions } from '../../../src/core/audit/types.js';
import { planPilot, verify } from '../../../src/core/lanes/pilot.js';
import { workflowProblems } from '../init/validate.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/workflows');
const sourcesOf = (dir: string, target = '.github/workflows'): WorkflowSource[] =>
  readdirSync(join(FIXTURES, dir)).sort().map((name) => ({ file: `${target}/${name}`, platform: target.startsWith('.forgejo') ? 'forgejo' : 'github', text: readFileSync(join(FIXTURES, dir, name), 'utf8') }));
const OPTIONS: AuditOptions = { root: '/repo', directories: ['.github/workflows'] };
type Doc = Record<string, any>;

describe('pilot: a movable job nothing depends on (build-docs on ci-box-1): a workflow of its own', () => {
  const sources = sourcesOf('single-runner');
  const plan = planPilot(sources, OPTIONS, { laneLabel: 'burst', job: 'build-docs' });

  it('writes a read-only pull_request workflow on the lane, and re-audits it external-safe', () => {
    expect(plan.status).toBe('ready');
    expect(plan.candidate).toMatchObject({ file: '.github/workflows/docs.yml', job: 'build-docs', kind: 'movable' });
    expect(plan.pilot).toEqual({ path: '.github/workflows/pilot-build-docs.yml', job: 'build-docs', placement: 'workflow' });
    const created = plan.changes.find((change) => change.action === 'create')!;
    expect(created.path).toBe('.github/workflows/pilot-build-docs.yml');
    const doc = parse(created.after) as Doc;
    expect(doc).toEqual({
      name: 'Pilot: Docs / build-docs',
      on: { pull_request: null },
      permissions: { contents: 'read' },
      jobs: { 'build-docs': { 'runs-on': 'burst', steps: [{ uses: 'actions/checkout@v4', with: { 'persist-credentials': false } }, { run: 'make docs' }] } },
    });
    expect(created.after).not.toMatch(/secrets\.|environment:|pull_request_target/);
    expect(plan.reaudit).toEqual({ ok: true, problems: [], pilotClass: 'external-safe' });
  });

  it('the original keeps the job for other events; only its `if:` line is new', () => {
    const modified = plan.changes.find((change) => change.action === 'modify')!;
    expect(modified.path).toBe('.github/workflows/docs.yml');
    expect((parse(modified.after) as Doc).jobs['build-docs'].if).toBe("${{ github.event_name != 'pull_request' }}");
    const added = plan.diff.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++') && !plan.changes[0]!.after.split('\n').includes(line.slice(1)));
    const removed = plan.diff.split('\n').filter((line) => line.startsWith('-') && !line.startsWith('---'));
    expect(removed).toEqual([]);
    expect(added).toEqual(["+    if: ${{ github.event_name != 'pull_request' }}"]);
    expect(plan.diff).toMatch(/^--- \/dev\/null\n\+\+\+ b\/\.github\/workflows\/pilot-build-docs\.yml\n@@ -0,0 \+1,\d+ @@/);
    expect(plan.diff).toContain('--- a/.github/workflows/docs.yml\n+++ b/.github/workflows/docs.yml\n');
  });

  it('the generated and edited workflows pass the schema and actionlint', async () => {
    for (const change of plan.changes) {
      expect(await workflowProblems(change.after, { file: change.path, selfHostedLabels: ['burst', 'ci-box-1'] }), change.path).toEqual([]);
    }
  });

  it('without --job: the movable job that needs the least wiring (no needs, no dependents)', () => {
    const best = planPilot(sources, OPTIONS, { laneLabel: 'burst' });
    expect(best.status).toBe('ready');
    expect(best.candidate).toMatchObject({ file: '.github/workflows/docs.yml', job: 'build-docs', kind: 'movable' });
    expect(best.alternatives).toContain('.github/workflows/ci.yml:lint (movable)');
  });
});

describe('pilot: a movable job another job needs (lint, which unit needs): a job of the same workflow', () => {
  const sources = sourcesOf('single-runner');
  const plan = planPilot(sources, OPTIONS, { laneLabel: 'burst', job: 'lint' });
  const modified = plan.changes[0]!;
  const doc = parse(modified.after) as Doc;

  it('pilot-lint runs lint on the lane for pull requests; lint runs for every other event; unit needs both', () => {
    expect(plan.status, plan.reason).toBe('ready');
    expect(plan.pilot).toEqual({ path: '.github/workflows/ci.yml', job: 'pilot-lint', placement: 'job' });
    expect(plan.changes.map((change) => [change.path, change.action])).toEqual([['.github/workflows/ci.yml', 'modify']]);
    expect(Object.keys(doc.jobs)).toEqual(['lint', 'pilot-lint', 'unit', 'e2e', 'gpu-bench']);
    expect(doc.jobs['pilot-lint']).toEqual({
      'runs-on': 'burst',
      if: "${{ github.event_name == 'pull_request' }}",
      permissions: { contents: 'read' },
      steps: [{ uses: 'actions/checkout@v4', with: { 'persist-credentials': false } }, { run: 'npm ci' }, { run: 'npm run lint' }],
    });
    expect(doc.jobs.lint.if).toBe("${{ github.event_name != 'pull_request' }}");
    expect(doc.jobs.unit.needs).toEqual(['lint', 'pilot-lint']);
    expect(doc.jobs.unit.if).toBe('${{ !cancelled() && !failure() }}');
    expect(Object.keys(doc.on)).toEqual(['push', 'pull_request']);
    expect(modified.after.split('\n')[0]).toBe('# Every job of this repository runs on the one trusted runner ("lab").');
    expect(plan.reaudit).toEqual({ ok: true, problems: [], pilotClass: 'external-safe' });
    expect(plan.notes).toContain('"unit" needs both and runs after whichever ran, not when it failed; artifacts it uploads keep their names');
  });

  it('the diff adds the pilot job and the `if:`/`needs:` lines, nothing else changes', () => {
    const removed = plan.diff.split('\n').filter((line) => line.startsWith('-') && !line.startsWith('---'));
    expect(removed).toEqual(['-    needs: lint']);
    const added = plan.diff.split('\n').filter((line) => line.startsWith('+') && !line.startsWith('+++'));
    expect(added.filter((line) => !/^\+  pilot-lint:|^\+      /.test(line) && !/^\+    (runs-on: burst|permissions:|steps:)$/.test(line))).toEqual([
      "+    if: ${{ github.event_name != 'pull_request' }}",
      "+    if: ${{ github.event_name == 'pull_request' }}",
      '+    if: ${{ !cancelled() && !failure() }}',
      '+    needs: [lint, pilot-lint]',
    ]);
  });

  it('passes the schema and actionlint', async () => {
    expect(await workflowProblems(modified.after, { file: modified.path, selfHostedLabels: ['burst', 'self-hosted', 'lab', 'gpu'] })).toEqual([]);
  });

  it('a job whose dependents read its outputs is refused (a skipped job sets none)', () => {
    const text = sources.find((source) => source.file.endsWith('ci.yml'))!.text.replace('      - run: npm test\n', '      - run: npm test -- --shard ${{ needs.lint.outputs.shard }}\n');
    const refused = planPilot([{ file: '.github/workflows/ci.yml', platform: 'github', text }], OPTIONS, { laneLabel: 'burst', job: 'lint' });
    expect(refused.status).toBe('refused');
    expect(refused.reason).toMatch(/"unit" reads its outputs, which a skipped job does not set/);
  });

  it('verify refuses when the original still runs for pull requests or a dependent does not wait for the pilot', () => {
    const before = auditWorkflows(sources, OPTIONS);
    const check = (text: string) => verify(before, auditWorkflows(sources.map((source) => (source.file === modified.path ? { ...source, text } : source)), { ...OPTIONS, laneLabel: 'burst' }), [{ ...modified, after: text }], plan.candidate!, 'burst', plan.pilot);
    expect(check(modified.after).ok).toBe(true);
    expect(check(modified.after.replace("    if: ${{ github.event_name != 'pull_request' }}\n", '')).problems).toContain('.github/workflows/ci.yml job "lint" still runs for pull requests beside "pilot-lint"');
    expect(check(modified.after.replace('    needs: [lint, pilot-lint]\n', '    needs: lint\n')).problems).toContain('.github/workflows/ci.yml job "unit" does not need "pilot-lint"');
  });
});

describe('pilot: the external-safe part of a needs-split job', () => {
  it('release (tags only): the pilot gets build and test, Publish stays; the original is untouched', () => {
    const plan = planPilot(sourcesOf('github'), OPTIONS, { laneLabel: 'burst', job: 'release-npm.yml:release' });
    expect(plan.status).toBe('ready');
    expect(plan.candidate).toMatchObject({ kind: 'split', stays: ['Publish'] });
    expect(plan.changes.map((change) => change.action)).toEqual(['create']);
    const doc = parse(plan.changes[0]!.after) as Doc;
    expect(doc.jobs.release.steps.map((step: Doc) => step.name ?? step.uses)).toEqual(['actions/checkout@v4', 'actions/setup-node@v4', 'Install', 'Build', 'Test']);
    expect(plan.notes[0]).toMatch(/not triggered by pull requests: it stays as it is/);
  });

  it('a pull_request workflow: its external-safe steps skip pull requests there, the secret step stays as it was', async () => {
    const text = [
      'name: Test',
      'on: [push, pull_request]',
      'permissions:',
      '  contents: read',
      'jobs:',
      '  test:',
      '    runs-on: [self-hosted, lab]',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '      - run: npm ci',
      '      - run: npm test',
      '      - name: Upload coverage',
      '        run: ./upload.sh',
      '        env:',
      '          UPLOAD_TOKEN: ${{ secrets.COVERAGE_TOKEN }}',
      '',
    ].join('\n');
    const sources: WorkflowSource[] = [{ file: '.github/workflows/test.yml', platform: 'github', text }];
    const plan = planPilot(sources, OPTIONS, { laneLabel: 'burst' });
    expect(plan.status).toBe('ready');
    expect(plan.candidate).toMatchObject({ job: 'test', kind: 'split', steps: ['actions/checkout@v4', 'npm ci', 'npm test'], stays: ['Upload coverage'] });
    const pilot = parse(plan.changes[0]!.after) as Doc;
    expect(pilot.jobs.test.steps).toEqual([{ uses: 'actions/checkout@v4', with: { 'persist-credentials': false } }, { run: 'npm ci' }, { run: 'npm test' }]);
    const original = parse(plan.changes[1]!.after) as Doc;
    expect(original.jobs.test.steps.map((step: Doc) => step.if ?? null)).toEqual([null, "${{ github.event_name != 'pull_request' }}", "${{ github.event_name != 'pull_request' }}", null]);
    expect(original.jobs.test.steps[3].env).toEqual({ UPLOAD_TOKEN: '${{ secrets.COVERAGE_TOKEN }}' });
    expect(plan.reaudit!.ok).toBe(true);
    expect(await workflowProblems(plan.changes[0]!.after, { selfHostedLabels: ['burst'] })).toEqual([]);
  });
});

describe('pilot: what must not be piloted, and a failing re-audit', () => {
  const sources = sourcesOf('single-runner');
  it.each([
    ['deploy', /local-only: uses environment "production"/],
    ['e2e', /local-only: mounts the host path \/srv\/fixtures\/db/],
    ['gpu-bench', /local-only: runs on \[self-hosted, lab, gpu\]/],
  ])('%s is refused with its reason, and no change is proposed', (job, reason) => {
    const plan = planPilot(sources, OPTIONS, { laneLabel: 'burst', job });
    expect(plan.status).toBe('refused');
    expect(plan.reason).toMatch(reason);
    expect(plan.changes).toEqual([]);
    expect(plan.diff).toBe('');
  });

  it('a lane label that names a capability: the pilot re-audits local-only and is refused', () => {
    const plan = planPilot(sources, OPTIONS, { laneLabel: 'gpu', job: 'lint' });
    expect(plan.status).toBe('refused');
    expect(plan.reaudit!.ok).toBe(false);
    expect(plan.reason).toMatch(/failed its re-audit.*ci\.yml job "pilot-lint" is local-only \(runs on \[gpu\], needing what only particular runners have/);
  });

  it('verify catches a pilot with a secret and an original that lost one', () => {
    const github = sourcesOf('github');
    const plan = planPilot(github, OPTIONS, { laneLabel: 'burst', job: 'release-npm.yml:release' });
    const before = auditWorkflows(github, OPTIONS);
    const tampered = plan.changes.map((change) => ({ ...change, after: change.after.replace('run: npm test', 'run: npm test\n        env:\n          T: ${{ secrets.NPM_TOKEN }}') }));
    const lost = github.map((source) => (source.file.endsWith('release-npm.yml') ? { ...source, text: source.text.replace('${{ secrets.NPM_TOKEN }}', 'none') } : source));
    const after = auditWorkflows([...lost, { file: tampered[0]!.path, platform: 'github', text: tampered[0]!.after }], OPTIONS);
    const original = github.find((source) => source.file.endsWith('release-npm.yml'))!;
    const result = verify(before, after, [...tampered, { path: original.file, action: 'modify', before: original.text, after: lost.find((source) => source.file === original.file)!.text }], plan.candidate!, 'burst');
    expect(result.ok).toBe(false);
    expect(result.problems.join('\n')).toMatch(/pilot-release\.yml is needs-split \(uses secrets\.NPM_TOKEN in step "Test"\)/);
    expect(result.problems.join('\n')).toMatch(/reads secrets\.NPM_TOKEN/);
    expect(result.problems.join('\n')).toMatch(/release-npm\.yml job "release" does not keep the same secrets in the same steps/);
  });

  it('an unknown or ambiguous --job is a request error', () => {
    expect(planPilot(sources, OPTIONS, { laneLabel: 'burst', job: 'nope' })).toMatchObject({ status: 'invalid-request', reason: 'no job "nope" in the workflows' });
    const twice = [...sources, { file: '.github/workflows/more.yml', platform: 'github' as const, text: 'on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make lint\n' }];
    expect(planPilot(twice, OPTIONS, { laneLabel: 'burst', job: 'lint' })).toMatchObject({ status: 'invalid-request', reason: expect.stringMatching(/in 2 workflows: name one as FILE:JOB/) });
    expect(planPilot(twice, OPTIONS, { laneLabel: 'burst', job: 'more.yml:lint' }).status).toBe('ready');
  });

  it('Forgejo: the pilot goes where the repository keeps its workflows', () => {
    const plan = planPilot(sourcesOf('forgejo', '.forgejo/workflows'), { root: '/repo', directories: ['.forgejo/workflows'] }, { laneLabel: 'burst', job: 'test' });
    expect(plan.status).toBe('ready');
    expect(plan.changes.map((change) => change.path)).toEqual(['.forgejo/workflows/pilot-test.yml', '.forgejo/workflows/ci.yml']);
    expect((parse(plan.changes[0]!.after) as Doc).jobs.test.steps[0]).toEqual({ uses: 'https://code.forgejo.org/actions/checkout@v4', with: { 'persist-credentials': false } });
  });
});
