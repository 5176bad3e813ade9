import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflows, referencedScripts, type WorkflowSource } from '../../../src/core/audit/classify.js';
import type { AuditOptions, AuditResult } from '../../../src/core/audit/types.js';
import { job, one } from './helpers.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/workflows');

function auditDir(dir: string, options: Partial<AuditOptions> = {}): AuditResult {
  const sources: WorkflowSource[] = readdirSync(join(FIXTURES, dir))
    .sort()
    .map((name) => ({ file: `.github/workflows/${name}`, platform: 'github', text: readFileSync(join(FIXTURES, dir, name), 'utf8') }));
  return auditWorkflows(sources, { root: '/repo', directories: ['.github/workflows'], ...options });
}

/** workflow → class; job → class (and steps that would move) */
function table(result: AuditResult): Record<string, string> {
  const rows: Record<string, string> = {};
  for (const workflow of result.workflows) {
    rows[workflow.file.replace('.github/workflows/', '')] = workflow.class;
    for (const j of workflow.jobs) rows[`${workflow.file.replace('.github/workflows/', '')} ${j.id}`] = j.class + (j.move ? ` move ${j.move.join(' | ')}` : '') + (j.movable ? ' (movable)' : '');
  }
  return rows;
}

describe("well-known projects' workflows (copied as fixtures; see fixtures/workflows/README.md)", () => {
  it.each([
    ['express', { 'ci.yml': 'needs-split', 'ci.yml lint': 'external-safe', 'ci.yml test': 'external-safe', 'ci.yml coverage': 'local-only', 'scorecard.yml': 'local-only', 'scorecard.yml analysis': 'local-only' }],
    [
      'node',
      {
        'commit-queue.yml': 'needs-split',
        'commit-queue.yml get_mergeable_prs': 'external-safe',
        'commit-queue.yml commitQueue': 'needs-split move actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11 | Configure @node-core/utils | Start the Commit Queue',
      },
    ],
    [
      'rust',
      {
        'dependencies.yml': 'needs-split',
        'dependencies.yml not-waiting-on-bors': 'external-safe',
        'dependencies.yml update': 'external-safe',
        'dependencies.yml pr': 'needs-split move push | edit existing open pull request | open new pull request',
      },
    ],
    ['vscode', { 'locker.yml': 'external-safe', 'locker.yml main': 'external-safe' }],
    [
      // workflow-level id-token: write and an environment: every job local-only as a whole, none split
      'cli',
      {
        'deployment.yml': 'local-only',
        'deployment.yml linux': 'local-only',
        'deployment.yml macos': 'local-only',
        'deployment.yml windows': 'local-only',
        'deployment.yml release': 'local-only',
        'lint.yml': 'external-safe',
        'lint.yml lint': 'external-safe',
        'prauto.yml': 'local-only',
        'prauto.yml pr-auto': 'local-only',
      },
    ],
  ])('%s', (project, expected) => {
    expect(table(auditDir(`public/${project}`))).toEqual(expected);
  });
});

describe('the single-runner repository: every job on [self-hosted, lab]', () => {
  const scripts = Object.fromEntries(
    ['scripts/deploy.sh', 'scripts/check-links.sh'].map((path) => [path, readFileSync(join(FIXTURES, 'single-runner-scripts', path), 'utf8')]),
  );
  const result = auditDir('single-runner', { scripts });

  it('classes by needs: the jobs that need nothing only the runner has are external-safe and movable', () => {
    expect(table(result)).toEqual({
      'ci.yml': 'needs-split',
      'ci.yml lint': 'external-safe (movable)',
      'ci.yml unit': 'external-safe (movable)',
      'ci.yml e2e': 'local-only',
      'ci.yml gpu-bench': 'local-only',
      'docs.yml': 'needs-split',
      'docs.yml build-docs': 'external-safe (movable)',
      'docs.yml link-check': 'local-only',
      'release.yml': 'needs-split',
      'release.yml build': 'needs-split move Publish',
      'release.yml deploy': 'local-only',
    });
  });

  it('says why, label by label, and which rule it applied', () => {
    const ci = result.workflows.find((w) => w.file.endsWith('ci.yml'))!;
    expect(job(ci, 'lint').notes).toContain('movable: runs on [self-hosted, lab] today; needs nothing only that runner has');
    expect(job(ci, 'lint').runner).toEqual({
      placement: '[self-hosted, lab]',
      labels: [
        { label: 'self-hosted', role: 'placement', rule: 'built-in: self-hosted names where the job runs, not what it needs' },
        { label: 'lab', role: 'placement', rule: 'built-in: names a host or pool (no capability word)' },
      ],
    });
    expect(job(ci, 'gpu-bench').reasons).toEqual(['runs on [self-hosted, lab, gpu], needing what only particular runners have: "gpu" (names an accelerator)']);
    expect(job(ci, 'e2e').reasons).toEqual(['mounts the host path /srv/fixtures/db into service "db"']);
  });

  it('looks into the repository scripts steps call', () => {
    const docs = result.workflows.find((w) => w.file.endsWith('docs.yml'))!;
    expect(job(docs, 'link-check').reasons).toEqual(['reaches a private address (192.168.10.20, in scripts/check-links.sh) in step "./scripts/check-links.sh"']);
    const release = result.workflows.find((w) => w.file.endsWith('release.yml'))!;
    expect(job(release, 'deploy').reasons).toEqual([
      'uses environment "production" (its secrets and protection rules)',
      'copies files to a remote host (rsync -a dist/ deploy@web1.internal:/var/www/app/, in scripts/deploy.sh) in step "./scripts/deploy.sh"',
      'reaches a private address (web1.internal, in scripts/deploy.sh) in step "./scripts/deploy.sh"',
    ]);
    expect(referencedScripts(readdirSync(join(FIXTURES, 'single-runner')).map((name) => ({ file: name, platform: 'github' as const, text: readFileSync(join(FIXTURES, 'single-runner', name), 'utf8') })))).toEqual([
      'bench/run.sh',
      'scripts/check-links.sh',
      'scripts/deploy.sh',
    ]);
  });

  it('the policy can declare a label either way, and the audit names the rule', () => {
    const declared = auditDir('single-runner', { scripts, hardwareLabels: ['lab'] });
    const ci = declared.workflows.find((w) => w.file.endsWith('ci.yml'))!;
    expect(job(ci, 'lint')).toMatchObject({ class: 'local-only', reasons: ['runs on [self-hosted, lab], needing what only particular runners have: "lab" (policy lanes.hardwareLabels)'] });
    const pooled = auditDir('single-runner', { scripts, placementLabels: ['gpu'] });
    expect(job(pooled.workflows.find((w) => w.file.endsWith('ci.yml'))!, 'gpu-bench')).toMatchObject({ class: 'external-safe', movable: true });
    expect(job(pooled.workflows.find((w) => w.file.endsWith('ci.yml'))!, 'gpu-bench').runner!.labels[2]).toEqual({ label: 'gpu', role: 'placement', rule: 'policy lanes.placementLabels' });
  });
});

describe('flags beyond the class', () => {
  it('workflow_run checking out the triggering head: dangerous-checkout', () => {
    const report = one(`on:
  workflow_run:
    workflows: [CI]
    types: [completed]
permissions:
  contents: read
jobs:
  report:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          ref: \${{ github.event.workflow_run.head_sha }}
      - run: npm ci && npm run report
`);
    expect(report.flags).toEqual([
      {
        rule: 'dangerous-checkout',
        level: 'error',
        job: 'report',
        step: 'actions/checkout@v4',
        line: 11,
        message:
          'step "actions/checkout@v4" checks out untrusted code (actions/checkout with ref: ${{ github.event.workflow_run.head_sha }}) in a workflow_run workflow, which has secrets and a write token: a "pwn request"; build untrusted code in a pull_request workflow instead',
      },
    ]);
  });

  it('untrusted text spliced into run: and github-script: template-injection', () => {
    const report = one(`on: pull_request
permissions:
  contents: read
jobs:
  greet:
    runs-on: ubuntu-latest
    steps:
      - name: Title
        run: echo "\${{ github.event.pull_request.title }}" and \${{ github.head_ref }}
      - name: Safe
        run: echo "\${{ github.event.pull_request.number }}"
      - uses: actions/github-script@v7
        with:
          script: console.log("\${{ github.event.comment.body }}")
`);
    expect(report.flags.map((flag) => [flag.rule, flag.step, flag.line])).toEqual([
      ['template-injection', 'Title', 9],
      ['template-injection', 'actions/github-script@v7', 13],
    ]);
    expect(report.flags[0]!.message).toBe(
      'step "Title" splices text an outsider controls into its script (${{ github.event.pull_request.title }}, ${{ github.head_ref }}): pass it through env: and quote "$VAR" instead',
    );
  });

  it('secrets: inherit to a workflow whose jobs need none, or that run on the external lane', () => {
    const files: WorkflowSource[] = [
      { file: '.github/workflows/caller.yml', platform: 'github', text: 'on: pull_request\npermissions:\n  contents: read\njobs:\n  lint:\n    uses: ./.github/workflows/lint.yml\n    secrets: inherit\n' },
      { file: '.github/workflows/lint.yml', platform: 'github', text: 'on: workflow_call\njobs:\n  eslint:\n    runs-on: burst\n    steps:\n      - run: npm run lint\n' },
    ];
    const plain = auditWorkflows(files, { root: '/r', directories: ['.github/workflows'] });
    expect(plain.workflows[0]!.flags).toEqual([
      {
        rule: 'secrets-inherit',
        level: 'warning',
        job: 'lint',
        line: 7,
        message: 'job "lint" passes every secret (secrets: inherit) to ./.github/workflows/lint.yml, whose job "eslint" needs none and could run on an external lane: pass only the secrets it uses',
      },
    ]);
    const laned = auditWorkflows(files, { root: '/r', directories: ['.github/workflows'], laneLabel: 'burst' });
    expect(laned.workflows[0]!.flags[0]).toMatchObject({
      level: 'error',
      message: 'job "lint" passes every secret (secrets: inherit) to ./.github/workflows/lint.yml, whose job "eslint" runs on the external lane "burst"',
    });
  });

  it('self-hosted labels in a public repository: self-hosted-public (only when the repository is known public)', () => {
    const text = 'on: pull_request\npermissions:\n  contents: read\njobs:\n  t:\n    runs-on: [self-hosted, lab]\n    steps:\n      - run: make\n  h:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make\n';
    const source: WorkflowSource[] = [{ file: '.github/workflows/w.yml', platform: 'github', text }];
    expect(auditWorkflows(source, { root: '/r', directories: [] }).workflows[0]!.flags).toEqual([]);
    expect(auditWorkflows(source, { root: '/r', directories: [], visibility: 'public' }).workflows[0]!.flags).toEqual([
      {
        rule: 'self-hosted-public',
        level: 'error',
        job: 't',
        line: 6,
        message: 'job "t" of a public repository targets self-hosted runners ("self-hosted", "lab"): a fork\'s pull request can run code on them',
      },
    ]);
  });
});
