import { describe, expect, it } from 'vitest';
import { SpanIndex } from '../../../src/core/detect/span-index.js';

describe('SpanIndex', () => {
  it('answers whether a span overlaps any added one, across bucket borders', () => {
    const index = new SpanIndex(10);
    index.add(5, 25);
    index.add(40, 41);
    expect(index.overlaps(0, 5)).toBe(false);
    expect(index.overlaps(24, 30)).toBe(true);
    expect(index.overlaps(25, 40)).toBe(false);
    expect(index.overlaps(12, 13)).toBe(true);
    expect(index.overlaps(40, 41)).toBe(true);
    expect(index.overlaps(0, 100)).toBe(true);
    expect(new SpanIndex(10).overlaps(0, 100)).toBe(false);
  });

  it('agrees with a plain scan over random spans', () => {
    let seed = 7;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    const index = new SpanIndex(16);
    const spans: Array<[number, number]> = [];
    for (let i = 0; i < 300; i++) {
      const start = next(2000);
      const end = start + 1 + next(120);
      if (i % 2) {
        index.add(start, end);
        spans.push([start, end]);
      } else {
        expect(index.overlaps(start, end)).toBe(spans.some(([s, e]) => s < end && start < e));
      }
    }
  });
});
