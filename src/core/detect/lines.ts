import type { TextLike } from './text.js';
/**
 * Line numbers for the few offsets that matter (those of findings), without splitting
 * the text: the newline offsets are collected once, with indexOf, on first use.
 */
export class LineIndex {
  private starts: Int32Array | undefined;
  private count = 0;

  constructor(private readonly text: TextLike) {}

  private build(): Int32Array {
    let starts = new Int32Array(64);
    starts[0] = 0;
    let count = 1;
    let at = this.text.indexOf('\n');
    while (at !== -1) {
      if (count === starts.length) {
        const bigger = new Int32Array(starts.length * 2);
        bigger.set(starts);
        starts = bigger;
      }
      starts[count++] = at + 1;
      at = this.text.indexOf('\n', at + 1);
    }
    this.count = count;
    this.starts = starts;
    return starts;
  }

  /** 1-based line of an offset. */
  lineOf(offset: number): number {
    const starts = this.starts ?? this.build();
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** Offset of the first character of a 1-based line. */
  startOf(line: number): number {
    const starts = this.starts ?? this.build();
    return starts[line - 1]!;
  }

  /** Offset just past the last character of a 1-based line (its newline excluded). */
  endOf(line: number): number {
    const starts = this.starts ?? this.build();
    return line < this.count ? starts[line]! - 1 : this.text.length;
  }
}
