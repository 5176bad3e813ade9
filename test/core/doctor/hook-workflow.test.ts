import { describe, expect, it } from 'vitest';
import { guardWorkflow, hookWorkflowCheck } from '../../../src/core/doctor/hook-workflow.js';

const action = (on: string, command = 'guard ci') => `on: ${on}\njobs:\n  g:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: mirror-cli/mirror@v1\n        with:\n          command: ${command}\n`;

describe('hook workflow check', () => {
  it.each([
    ['the action with guard ci', action('[pull_request, push]'), ['pull_request', 'push']],
    ['a map of events', action('{ push: { branches: [main] } }'), ['push']],
    ['a run step', 'on: push\njobs:\n  g:\n    steps:\n      - run: npx mirror guard range "$BASE..$HEAD"\n', ['push']],
    ['the action running sync-down', action('push', 'sync-down --ci'), undefined],
    ['not YAML', 'on: [unclosed', undefined],
  ])('%s', (_name, text, events) => {
    expect(guardWorkflow('w.yml', text)?.events).toEqual(events);
  });

  it('passes on push or pull_request, warns otherwise, skips an unread branch', () => {
    const read = (text: string) => ({ state: 'read' as const, branch: 'main', files: [{ path: '.github/workflows/w.yml', text }] });
    expect(hookWorkflowCheck('m', read(action('push')), '.github/workflows').status).toBe('pass');
    expect(hookWorkflowCheck('m', read(action('schedule')), '.github/workflows')).toMatchObject({ status: 'warn', fix: expect.stringContaining('on: [pull_request, push]') });
    expect(hookWorkflowCheck('m', { state: 'read', branch: 'main', files: [] }, '.forgejo/workflows')).toMatchObject({ status: 'warn', fix: expect.stringContaining('.forgejo/workflows/') });
    expect(hookWorkflowCheck('m', { state: 'unread', reason: 'no route' }, '.github/workflows')).toMatchObject({ status: 'warn', skipped: true });
  });
});
