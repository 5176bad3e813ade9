import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Latin1Text } from '../../../src/app/guard/latin1-text.js';

/** Latin1Text must answer exactly as the string it stands for. */
describe('Latin1Text', () => {
  const text = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '-', 'é', ' '), maxLength: 40 }).map((s) => Buffer.from(s, 'latin1').toString('latin1'));
  const needle = fc.string({ unit: fc.constantFrom('a', 'b', '\n', '-', 'é'), minLength: 1, maxLength: 4 });
  const position = fc.integer({ min: -5, max: 45 });

  it('behaves like the string for every method the detector uses', () => {
    fc.assert(
      fc.property(text, needle, position, position, (s, n, p, q) => {
        const view = new Latin1Text(Buffer.from(s, 'latin1'));
        expect(view.length).toBe(s.length);
        expect(view.indexOf(n, p)).toBe(s.indexOf(n, p));
        expect(view.lastIndexOf(n, p)).toBe(s.lastIndexOf(n, p));
        expect(view.lastIndexOf(n)).toBe(s.lastIndexOf(n));
        expect(view.slice(p, q)).toBe(s.slice(p, q));
        expect(view.slice(p)).toBe(s.slice(p));
        expect(view.startsWith(n, Math.max(0, p))).toBe(s.startsWith(n, Math.max(0, p)));
        expect(Number.isNaN(view.charCodeAt(p)) ? NaN : view.charCodeAt(p)).toEqual(s.charCodeAt(p));
      }),
      { numRuns: 500, seed: 42 },
    );
  });
});
