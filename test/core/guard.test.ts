import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/core/detect/types.js';
import { onAddedLines } from '../../src/core/guard/added-lines.js';
import { privatePathViolations } from '../../src/core/guard/entry-paths.js';
import { describeUpdates, parsePrePushInput } from '../../src/core/guard/pre-push-input.js';
import { parseRange } from '../../src/core/guard/range.js';
import { createZoneMatcher } from '../../src/core/zones.js';
import { compileGlob } from '../../src/policy/globs.js';

const Z = '0'.repeat(40);
const X = 'a'.repeat(40);
const Y = 'b'.repeat(40);

describe('pre-push input', () => {
  it('parses every line and classifies new, update, delete', () => {
    const updates = parsePrePushInput(`refs/heads/main ${X} refs/heads/main ${Y}\nrefs/heads/new ${X} refs/heads/new ${Z}\n(delete) ${Z} refs/heads/old ${Y}\n`);
    expect(describeUpdates(updates).map((ref) => ref.kind)).toEqual(['update', 'new', 'delete']);
  });

  it('refuses malformed input rather than skipping it', () => {
    expect(() => parsePrePushInput('refs/heads/main notasha refs/heads/main x\n')).toThrow(/line 1/);
    expect(() => parsePrePushInput(`refs/heads/main ${X}\n`)).toThrow();
  });

  it('accepts empty input (nothing to push)', () => {
    expect(parsePrePushInput('')).toEqual([]);
  });
});

describe('ranges', () => {
  it.each([
    ['a..b', { base: 'a', head: 'b' }],
    ['a..', { base: 'a', head: 'HEAD' }],
    ['main', { head: 'main' }],
  ])('%s', (spec, expected) => {
    expect(parseRange(spec)).toEqual(expected);
  });

  it('refuses symmetric ranges', () => {
    expect(() => parseRange('a...b')).toThrow(/symmetric/);
  });
});

describe('private path violations', () => {
  const inZone = createZoneMatcher([
    { name: 'private-dir', description: '', include: compileGlob('private/**').map((pattern) => ({ glob: 'private/**', pattern })), exclude: [] },
  ]);
  const entry = (status: string, path: string, newMode = '100644', oldMode = '100644') => ({ commit: X, status, path, newMode, oldMode, newOid: Y });

  it('refuses additions, renames, type changes, symlinks and submodules in a zone', () => {
    const violations = privatePathViolations(
      [entry('A', 'private/a'), entry('R', 'private/b'), entry('T', 'private/c', '120000'), entry('A', 'private/sub', '160000', '000000')],
      inZone,
    );
    expect(violations.map((violation) => [violation.change, violation.entry])).toEqual([
      ['add', 'file'],
      ['rename', 'file'],
      ['type-change', 'symlink'],
      ['add', 'submodule'],
    ]);
  });

  it('lets deletions pass: they publish nothing', () => {
    expect(privatePathViolations([entry('D', 'private/a', '000000')], inZone)).toEqual([]);
  });
});

describe('added lines', () => {
  const finding = (line: number, endLine?: number): Finding =>
    ({ ruleId: 'r', description: 'd', line, column: 1, masked: '****', fingerprint: 'f', ...(endLine ? { endLine } : {}) }) as Finding;

  it('keeps only findings on lines the new version adds', () => {
    const kept = onAddedLines([finding(1), finding(2)], 'old line\nnew line\n', 'old line\n');
    expect(kept.map((f) => f.line)).toEqual([2]);
  });

  it('keeps a multi-line finding when any of its lines is new', () => {
    const kept = onAddedLines([finding(1, 3)], 'BEGIN\nnew body\nEND\n', 'BEGIN\nold body\nEND\n');
    expect(kept).toHaveLength(1);
  });

  it('keeps everything when there is no previous version', () => {
    expect(onAddedLines([finding(1)], 'x', undefined)).toHaveLength(1);
  });
});
