import { describe, expect, it } from 'vitest';
import { changedWindow, linesBefore } from '../../../src/app/guard/changed-window.js';

const lines = (n: number, tag = 'line') => Array.from({ length: n }, (_, i) => `${tag} ${i}\n`).join('');

describe('changedWindow', () => {
  it('covers the changed lines, widened to whole lines plus the margin', () => {
    const before = Buffer.from(lines(2000));
    const after = Buffer.from(lines(2000).replace('line 1000\n', 'line 1000 changed\n'));
    const { start, end } = changedWindow(after, before, 100);
    const window = after.subarray(start, end).toString();
    expect(window).toContain('line 1000 changed\n');
    expect(window.startsWith('line ')).toBe(true);
    expect(window.endsWith('\n')).toBe(true);
    expect(end - start).toBeLessThan(400);
    expect(linesBefore(after, start)).toBe(Number(/^line (\d+)/.exec(window)![1]));
  });

  it('covers everything between a change at the top and one at the bottom', () => {
    const before = Buffer.from(lines(500));
    const after = Buffer.from(`header\n${lines(500)}footer\n`);
    const { start, end } = changedWindow(after, before, 0);
    expect(start).toBe(0);
    expect(end).toBe(after.length);
  });

  it('is empty for identical content and the whole blob when nothing is shared', () => {
    const same = Buffer.from(lines(100));
    expect(changedWindow(same, Buffer.from(same))).toEqual({ start: 0, end: 0 });
    const other = Buffer.from(lines(100, 'other'));
    const { start, end } = changedWindow(other, same, 0);
    expect(start).toBe(0);
    expect(end).toBe(other.length);
  });

  it('handles appended and truncated content', () => {
    const base = Buffer.from(lines(3000));
    const appended = Buffer.concat([base, Buffer.from('new tail\n')]);
    const w = changedWindow(appended, base, 50);
    expect(appended.subarray(w.start, w.end).toString()).toContain('new tail');
    expect(w.start).toBeGreaterThan(base.length - 200);
    const truncated = base.subarray(0, 1000);
    const t = changedWindow(truncated, base, 0);
    expect(t.end - t.start).toBeLessThanOrEqual(truncated.length);
  });
});
