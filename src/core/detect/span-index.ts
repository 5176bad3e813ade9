/**
 * Spans of one text, asked "does anything here overlap [start, end)?" once per
 * candidate. A text can hold tens of thousands of candidates, so the answer must
 * not be a walk over every span seen so far: spans are filed under the fixed-size
 * buckets of the text they touch, and a question looks at its own buckets only.
 */
export class SpanIndex {
  private readonly buckets = new Map<number, Array<[number, number]>>();

  constructor(private readonly bucketSize = 256) {}

  add(start: number, end: number): void {
    for (let b = Math.floor(start / this.bucketSize), last = Math.floor(Math.max(start, end - 1) / this.bucketSize); b <= last; b++) {
      let spans = this.buckets.get(b);
      if (!spans) this.buckets.set(b, (spans = []));
      spans.push([start, end]);
    }
  }

  overlaps(start: number, end: number): boolean {
    for (let b = Math.floor(start / this.bucketSize), last = Math.floor(Math.max(start, end - 1) / this.bucketSize); b <= last; b++) {
      const spans = this.buckets.get(b);
      if (spans?.some(([s, e]) => s < end && start < e)) return true;
    }
    return false;
  }
}
