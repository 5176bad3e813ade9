import { describe, expect, it } from 'vitest';
import { decideFile, isPristine, planGitignore, SECRET_IGNORES, withMarker } from '../../../src/core/init/index.js';

describe('generated files: create, leave, upgrade or keep', () => {
  const v1 = withMarker('name: one\n');
  const v2 = withMarker('name: two\n');

  it.each([
    ['absent', undefined, v2, false, 'create'],
    ['identical', v2, v2, false, 'unchanged'],
    ['identical but CRLF', v2.replace(/\n/g, '\r\n'), v2, false, 'unchanged'],
    ['an earlier template, untouched', v1, v2, false, 'update'],
    ['an earlier template, edited', v1.replace('one', 'mine'), v2, false, 'keep'],
    ['a file without the marker', 'name: theirs\n', v2, false, 'keep'],
    ['an edited file with --force', v1.replace('one', 'mine'), v2, true, 'update'],
  ] as const)('%s', (_label, existing, desired, force, action) => {
    expect(decideFile(existing, desired, { force }).action).toBe(action);
  });

  it('recognises its own untouched output and nothing else', () => {
    expect(isPristine(v1)).toBe(true);
    expect(isPristine(v1 + '# a comment someone added\n')).toBe(false);
    expect(isPristine(v1.replace(/template [0-9a-f]+/, 'template 0000000000000000'))).toBe(false);
  });
});

describe('.gitignore entries', () => {
  it('creates the file with every entry, and a second pass adds nothing', () => {
    const first = planGitignore(undefined);
    expect(first.action).toBe('create');
    if (first.action === 'unchanged') return;
    expect(first.added).toEqual([...SECRET_IGNORES]);
    expect(planGitignore(first.content).action).toBe('unchanged');
  });

  it('appends only what is missing and never touches existing lines', () => {
    const existing = 'node_modules/\n.env\n*.p12\n';
    const plan = planGitignore(existing);
    expect(plan.action).toBe('update');
    if (plan.action === 'unchanged') return;
    expect(plan.content.startsWith(existing)).toBe(true);
    expect(plan.added).not.toContain('.env');
    expect(plan.added).toContain('.env.*');
    expect(planGitignore(plan.content).action).toBe('unchanged');
  });

  it('never ignores the zones the mirror tracks', () => {
    expect(SECRET_IGNORES.some((entry) => /private|local/.test(entry))).toBe(false);
  });

  it('keeps a file without a final newline intact', () => {
    const plan = planGitignore('dist');
    if (plan.action === 'unchanged') throw new Error('expected a change');
    expect(plan.content.split('\n')[0]).toBe('dist');
  });
});
