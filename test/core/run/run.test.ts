import { describe, expect, it } from 'vitest';
import { artifactMismatch, safeEntryPath } from '../../../src/core/run/artifact-check.js';
import { compareRuns, comparisonMarkdown, comparisonTable, flattenMetrics } from '../../../src/core/run/compare.js';
import { findCorrelatedRun } from '../../../src/core/run/correlate.js';
import { parseMatrix } from '../../../src/core/run/matrix.js';
import { exitCodeOf, progressBoard, progressLines, verdictOf } from '../../../src/core/run/outcome.js';
import { nextPollDelay } from '../../../src/core/run/poll.js';
import type { RunSnapshot } from '../../../src/core/run/types.js';
import { correlates, dispatchInfo, parseInputPairs, validateInputs } from '../../../src/core/run/workflow-inputs.js';

const WORKFLOW = `
name: experiment
run-name: experiment \${{ inputs.correlation_id }}
on:
  workflow_dispatch:
    inputs:
      run_name: { type: string, required: true }
      dataset: { type: choice, required: true, options: [sample, full], default: sample }
      epochs: { type: number, default: 3 }
      verbose: { type: boolean, default: false }
      note: { description: no type is a string }
      correlation_id: { type: string, default: '' }
`;

describe('workflow inputs', () => {
  const info = dispatchInfo(WORKFLOW);
  it('reads on.workflow_dispatch.inputs', () => {
    expect(info.dispatchable).toBe(true);
    expect(info.inputs.map((input) => [input.name, input.type, input.required])).toEqual([
      ['run_name', 'string', true],
      ['dataset', 'choice', true],
      ['epochs', 'number', false],
      ['verbose', 'boolean', false],
      ['note', 'string', false],
      ['correlation_id', 'string', false],
    ]);
    expect(correlates(info)).toBe(true);
    expect(correlates(dispatchInfo(WORKFLOW.replace('run-name: experiment ${{ inputs.correlation_id }}', '')))).toBe(false);
  });

  it.each([
    ['a bare trigger', 'on: workflow_dispatch\njobs: {}', true],
    ['a list', 'on: [push, workflow_dispatch]\njobs: {}', true],
    ['push only', 'on: push\njobs: {}', false],
  ])('%s is dispatchable: %s', (_, text, expected) => {
    expect(dispatchInfo(text).dispatchable).toBe(expected);
  });

  it.each<[string, Record<string, string>, string[]]>([
    ['valid', { run_name: 'a', dataset: 'full', epochs: '10', verbose: 'true' }, []],
    ['required with a default may be left out', { run_name: 'a' }, []],
    ['unknown input', { run_name: 'a', lr: '0.1' }, ['lr']],
    ['missing required', { dataset: 'sample' }, ['run_name']],
    ['required but empty', { run_name: '' }, ['run_name']],
    ['choice outside options', { run_name: 'a', dataset: 'huge' }, ['dataset']],
    ['boolean that is not one', { run_name: 'a', verbose: 'yes' }, ['verbose']],
    ['number that is not one', { run_name: 'a', epochs: 'ten' }, ['epochs']],
    ['numbers in their forms', { run_name: 'a', epochs: '-1.5e3' }, []],
  ])('%s', (_, given, fields) => {
    expect(validateInputs(info.inputs, given).map((problem) => problem.field)).toEqual(fields);
  });

  it('refuses more than 25 inputs', () => {
    const many = Array.from({ length: 26 }, (_, index) => `x${index}`);
    const declared = many.map((name) => ({ name, type: 'string' as const, required: false, default: undefined, options: [] }));
    expect(validateInputs(declared, Object.fromEntries(many.map((name) => [name, '1']))).map((problem) => problem.field)).toEqual(['workflow']);
  });

  it('parses -f pairs; a key given twice or without = is a problem', () => {
    expect(parseInputPairs(['a=1', 'b=x=y', 'c='])).toEqual({ inputs: { a: '1', b: 'x=y', c: '' }, problems: [] });
    expect(parseInputPairs(['a=1', 'a=2', 'oops']).problems.map((problem) => problem.field)).toEqual(['a', 'oops']);
  });
});

const run = (id: number, title: string, status = 'completed', conclusion: string | null = 'success'): RunSnapshot => ({ id, title, status, conclusion, url: `u/${id}`, htmlUrl: `h/${id}` });

describe('correlation', () => {
  it('finds the run carrying the id, not the newest', () => {
    const runs = [run(3, 'experiment [mr-b]'), run(2, 'experiment [mr-a]'), run(1, 'experiment []')];
    expect(findCorrelatedRun(runs, 'mr-a')?.valueOf()).toMatchObject({ id: 2 });
    expect(findCorrelatedRun(runs, 'mr-c')).toBeUndefined();
    expect(findCorrelatedRun([...runs, run(4, 'again [mr-a]')], 'mr-a')).toBe('ambiguous');
  });
});

describe('watch outcome and polling', () => {
  it.each<[string, string[], boolean, number]>([
    ['all succeeded', ['success', 'success'], false, 0],
    ['one failed', ['success', 'failure'], false, 1],
    ['cancelled', ['cancelled'], false, 1],
    ['timed out on the forge', ['timed_out'], false, 1],
    ['our timeout', ['success'], true, 3],
  ])('%s', (_, conclusions, timedOut, code) => {
    expect(exitCodeOf(conclusions.map((conclusion) => verdictOf({ status: 'completed', conclusion })), timedOut)).toBe(code);
  });

  it('a run still going is running', () => expect(verdictOf({ status: 'in_progress', conclusion: null })).toBe('running'));

  it('stretches while nothing changes, snaps back on change, respects the rate limit', () => {
    const base = { baseMs: 5000, maxMs: 30_000, requestsPerPoll: 2, now: 0 };
    expect(nextPollDelay({ ...base, previousMs: undefined, changed: false })).toBe(5000);
    expect(nextPollDelay({ ...base, previousMs: 5000, changed: false })).toBe(7500);
    expect(nextPollDelay({ ...base, previousMs: 28_000, changed: false })).toBe(30_000);
    expect(nextPollDelay({ ...base, previousMs: 20_000, changed: true })).toBe(5000);
    // 100 requests left for an hour: 50 polls, keep 5 in reserve → one poll every 80 s
    expect(nextPollDelay({ ...base, previousMs: 5000, changed: true, rateLimit: { remaining: 100, resetAt: 3_600_000 } })).toBe(80_000);
    // nearly exhausted: wait for the reset
    expect(nextPollDelay({ ...base, previousMs: 5000, changed: true, rateLimit: { remaining: 4, resetAt: 60_000 } })).toBe(61_000);
  });

  it('the terminal board shows runs, jobs, steps and elapsed time', () => {
    const running = { ...run(7, 'experiment a', 'in_progress', null), startedAt: '2026-03-01T10:00:00Z' };
    const job = { id: 1, name: 'train', status: 'in_progress', conclusion: null, labels: [], startedAt: '2026-03-01T10:00:00Z', steps: [{ number: 1, name: 'Set up', status: 'completed', conclusion: 'success' }, { number: 2, name: 'Train', status: 'in_progress', conclusion: null }, { number: 3, name: 'Upload', status: 'queued', conclusion: null }] };
    expect(progressBoard([{ run: running, jobs: [job] }], Date.parse('2026-03-01T10:02:05Z'))).toEqual([
      '* run 7 experiment a  in_progress  2m05s',
      '  * train  in_progress  2m05s',
      '      ✓ Set up',
      '      * Train',
    ]);
  });

  it('plain progress lines say only what changed', () => {
    const job = { id: 1, name: 'train', status: 'in_progress', conclusion: null, labels: ['gpu'], steps: [{ number: 1, name: 'Set up', status: 'completed', conclusion: 'success' }] };
    const first = progressLines(undefined, { run: run(7, 't', 'in_progress', null), jobs: [job] });
    expect(first).toEqual(['run 7: in_progress', 'run 7: job train [gpu]: in_progress', 'run 7:   step 1 Set up: success']);
    expect(progressLines({ run: run(7, 't', 'in_progress', null), jobs: [job] }, { run: run(7, 't', 'in_progress', null), jobs: [job] })).toEqual([]);
  });
});

describe('batches and comparison', () => {
  it('reads a matrix: values become strings', () => {
    expect(parseMatrix('- { lr: 0.1, fast: true }\n- { lr: 0.01, name: b }\n')).toEqual({ sets: [{ lr: '0.1', fast: 'true' }, { lr: '0.01', name: 'b' }], problems: [] });
    expect(parseMatrix('lr: 1').problems).toHaveLength(1);
    expect(parseMatrix('- [1, 2]').problems.map((problem) => problem.field)).toEqual(['[0]']);
    expect(parseMatrix('- { a: { b: 1 } }').problems.map((problem) => problem.field)).toEqual(['[0].a']);
  });

  it('puts inputs and metrics side by side, the best marked per metric', () => {
    const comparison = compareRuns([
      { id: 1, conclusion: 'success', inputs: { lr: '0.1', correlation_id: 'x' }, metrics: flattenMetrics({ accuracy: 0.9, loss: { val: 0.3 } }) },
      { id: 2, conclusion: 'success', inputs: { lr: '0.01' }, metrics: flattenMetrics({ accuracy: 0.95 }) },
      { id: 3, conclusion: 'failure', inputs: { lr: '1' }, metrics: {}, problem: 'no artifact' },
    ]);
    expect(comparison.inputNames).toEqual(['lr']);
    expect(comparison.metricNames).toEqual(['accuracy', 'loss.val']);
    expect(comparison.best).toEqual({ accuracy: 2, 'loss.val': 1 });
    expect(comparisonTable(comparison).split('\n')[2]).toMatch(/^1 +success +0\.1 +0\.9 +0\.3$/);
    expect(comparisonMarkdown(comparison)).toContain('| 3 | failure (no artifact) | 1 | - | - |');
  });
});

describe('artifacts', () => {
  const artifact = { id: 1, name: 'a', sizeInBytes: 4, expired: false, digest: 'sha256:abcd' };
  it('checks size and digest', () => {
    expect(artifactMismatch(artifact, { bytes: 4, sha256: 'ABCD' })).toBeUndefined();
    expect(artifactMismatch(artifact, { bytes: 3, sha256: 'abcd' })).toMatch(/3 bytes/);
    expect(artifactMismatch(artifact, { bytes: 4, sha256: 'ffff' })).toMatch(/digest/);
  });
  it.each([
    ['metrics.json', 'metrics.json'],
    ['./a/b.txt', 'a/b.txt'],
    ['../evil', undefined],
    ['a/../../evil', undefined],
    ['/etc/passwd', undefined],
    ['C:\\x', undefined],
  ])('zip entry %s → %s', (name, expected) => expect(safeEntryPath(name)).toBe(expected));
});
