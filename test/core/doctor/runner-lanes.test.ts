import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditWorkflows, type WorkflowSource } from '../../../src/core/audit/classify.js';
import { runnerLanesCheck } from '../../../src/core/doctor/index.js';

const FIXTURES = join(import.meta.dirname, '../../../fixtures/workflows');
const fromDir = (dir: string): WorkflowSource[] => readdirSync(join(FIXTURES, dir)).sort().map((name) => ({ file: `.github/workflows/${name}`, platform: 'github', text: readFileSync(join(FIXTURES, dir, name), 'utf8') }));
const check = (sources: WorkflowSource[]) => runnerLanesCheck({ ref: 'upstream/main', audit: auditWorkflows(sources, { root: 'upstream/main', directories: ['.github/workflows'] }) });

describe('doctor runner-lanes', () => {
  it.each(['cli', 'express', 'node', 'rust', 'vscode'])("passes the public project %s's workflows (GitHub-hosted runners)", (project) => {
    expect(check(fromDir(`public/${project}`))).toMatchObject({ id: 'runner-lanes', status: 'pass' });
  });

  it('warns on self-hosted labels in public workflows, telling movable jobs from pinned ones', () => {
    const result = check(fromDir('single-runner'));
    expect(result.status).toBe('warn');
    expect(result.message).toMatch(/^8 jobs in upstream\/main's workflows target self-hosted labels \(\d could move to a hosted or external lane, \d belong in the private mirror\)$/);
    expect(result.details).toContain('.github/workflows/ci.yml job "lint" targets "self-hosted", "lab" (pull_request: a fork\'s pull request runs it there), but needs nothing of them: run it on a hosted runner or the external lane');
    expect(result.details).toContain('.github/workflows/ci.yml job "gpu-bench" targets "self-hosted", "lab", "gpu" (pull_request: a fork\'s pull request runs it there) and is local-only: run it in the private mirror');
    expect(result.fix).toMatch(/mirror audit workflows --pilot/);
  });

  it("warns on a local-only pull_request_target job that runs the fork's code with secrets", () => {
    const text = [
      'on: pull_request_target',
      'jobs:',
      '  preview:',
      '    runs-on: ubuntu-latest',
      '    steps:',
      '      - uses: actions/checkout@v4',
      '        with:',
      '          ref: ${{ github.event.pull_request.head.sha }}',
      '      - run: npm ci && npm run preview',
      '        env:',
      '          DEPLOY_KEY: ${{ secrets.PREVIEW_KEY }}',
      '',
    ].join('\n');
    const result = check([{ file: '.github/workflows/preview.yml', platform: 'github', text }]);
    expect(result.status).toBe('warn');
    expect(result.details).toEqual(['.github/workflows/preview.yml job "preview" is local-only with secrets and runs for fork pull requests (pull_request_target) on their code or text']);
    // the same job without the head checkout is the ordinary labeller pattern: no warning
    const safe = text.replace(/ {8}with:\n.*head\.sha \}\}\n/, '');
    expect(check([{ file: '.github/workflows/preview.yml', platform: 'github', text: safe }]).status).toBe('pass');
  });

  it('is skipped with a warning when the public branch is not there', () => {
    expect(runnerLanesCheck({ ref: 'upstream/main', audit: undefined })).toMatchObject({ status: 'warn', skipped: true });
  });
});
