/**
 * Keyword prefilter: one pass over the text finds every occurrence of every rule
 * keyword, case-insensitively (ASCII folding only, so offsets stay those of the
 * original text: `toLowerCase()` can change a string's length).
 *
 * Most text contains no keyword at all, so this loop is where a scan spends its time.
 * Measured on this project's node_modules (bench/detect-throughput.ts): a combined
 * RegExp of all keywords runs at ~130 MB/s and a bigram table over `charCodeAt` at
 * ~200 MB/s; a trigram bit table over a Latin-1 byte copy of the text runs at ~450 MB/s.
 * The byte copy is a memcpy for one-byte strings; a two-byte string loses its high
 * bytes, which can only add candidate positions (every hit is verified on the
 * original string), never hide one, because keywords are ASCII.
 */

/** Where the scan found keywords; arrays are reused between scans, read `count` entries. */
export interface KeywordHits {
  count: number;
  /** index into the keyword list given to the scanner */
  keyword: Int32Array;
  /** offset of the keyword in the text */
  position: Int32Array;
  /** offset of the first character of the line holding the keyword */
  lineStart: Int32Array;
}

/** Hits beyond this many per text are not recorded; `overflowed` tells the caller. */
export const MAX_HITS = 1 << 16;

/** ASCII folded to lowercase; every other byte, and the newline, to 0. */
const FOLD = new Uint8Array(256);
for (let c = 1; c < 128; c++) FOLD[c] = c >= 65 && c <= 90 ? c | 32 : c;
FOLD[10] = 0;

type LatinBytes = (text: string) => Uint8Array;

/** Node's Buffer gives the fast path; elsewhere the scan reads the string directly. */
const latinBytes: LatinBytes | undefined = (() => {
  const B = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  return B ? (text: string) => B.from(text, 'latin1') : undefined;
})();

export class KeywordScanner {
  readonly keywords: readonly string[];
  /** one bit per trigram (21-bit key of three folded 7-bit characters) that starts a keyword */
  private readonly trigram = new Uint8Array(1 << 18);
  /** trigrams that are a whole keyword: verified without looking further */
  private readonly whole = new Uint8Array(1 << 18);
  /**
   * One bit per hashed four-character prefix. Common trigrams (`pas`, `sec`, `tok`)
   * start far more words than keywords; checking the fourth character before the
   * bucket lookup halves the cost of the scan on source code.
   */
  private readonly quad = new Uint8Array(1 << 17);
  /** trigram key -> ids of the keywords starting with it */
  private readonly buckets = new Map<number, number[]>();
  /** keywords shorter than three characters or not ASCII: found with indexOf */
  private readonly slow: number[] = [];
  private readonly hits: KeywordHits = {
    count: 0,
    keyword: new Int32Array(256),
    position: new Int32Array(256),
    lineStart: new Int32Array(256),
  };
  private readonly candidates = new Int32Array(4096);
  private readonly candidateLines = new Int32Array(4096);
  /** true when the last scan stopped recording at MAX_HITS */
  overflowed = false;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords;
    keywords.forEach((kw, id) => {
      const codes = [kw.charCodeAt(0), kw.charCodeAt(1), kw.charCodeAt(2)];
      if (kw.length < 3 || codes.some((c) => !(c > 0 && c < 128 && c !== 10))) {
        this.slow.push(id);
        return;
      }
      const key = (FOLD[codes[0]!]! << 14) | (FOLD[codes[1]!]! << 7) | FOLD[codes[2]!]!;
      this.trigram[key >> 3]! |= 1 << (key & 7);
      const fourth = kw.charCodeAt(3);
      if (kw.length === 3 || !(fourth > 0 && fourth < 128 && fourth !== 10)) {
        this.whole[key >> 3]! |= 1 << (key & 7);
      } else {
        const q = quadHash(key, FOLD[fourth]!);
        this.quad[q >> 3]! |= 1 << (q & 7);
      }
      const list = this.buckets.get(key);
      if (list) list.push(id);
      else this.buckets.set(key, [id]);
    });
  }

  /** Finds all keyword occurrences. The returned object is reused by the next call. */
  scan(text: string): KeywordHits {
    this.hits.count = 0;
    this.overflowed = false;
    if (latinBytes) this.scanBytes(text, latinBytes(text));
    else this.scanString(text);
    for (const id of this.slow) this.scanSlow(text, id);
    return this.hits;
  }

  /**
   * The hot loop only records candidate positions: calling out of it (to verify)
   * costs V8 about 40% of the loop's speed.
   */
  private scanBytes(text: string, bytes: Uint8Array): void {
    const tri = this.trigram;
    const whole = this.whole;
    const quad = this.quad;
    const n = bytes.length;
    let cand = this.candidates;
    let lines = this.candidateLines;
    let count = 0;
    let key = 0;
    let lineStart = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[i]!;
      if (b === 10) lineStart = i + 1;
      key = ((key << 7) | FOLD[b]!) & 0x1fffff;
      if ((tri[key >> 3]! >> (key & 7)) & 1) {
        const q = quadHash(key, i + 1 < n ? FOLD[bytes[i + 1]!]! : 0);
        if (((whole[key >> 3]! >> (key & 7)) & 1) || ((quad[q >> 3]! >> (q & 7)) & 1)) {
          if (count === cand.length) {
            this.flush(text, bytes, count);
            count = 0;
            cand = this.candidates;
            lines = this.candidateLines;
          }
          cand[count] = i;
          lines[count] = lineStart;
          count++;
        }
      }
    }
    this.flush(text, bytes, count);
  }

  private flush(text: string, bytes: Uint8Array, count: number): void {
    const cand = this.candidates;
    const lines = this.candidateLines;
    for (let k = 0; k < count; k++) {
      const i = cand[k]!;
      const key = (FOLD[bytes[i - 2]!]! << 14) | (FOLD[bytes[i - 1]!]! << 7) | FOLD[bytes[i]!]!;
      this.verify(text, i - 2, key, lines[k]!);
    }
  }

  private scanString(text: string): void {
    const tri = this.trigram;
    const n = text.length;
    let key = 0;
    let lineStart = 0;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) lineStart = i + 1;
      key = ((key << 7) | (c < 256 ? FOLD[c]! : 0)) & 0x1fffff;
      if ((tri[key >> 3]! >> (key & 7)) & 1) this.verify(text, i - 2, key, lineStart);
    }
  }

  private verify(text: string, start: number, key: number, lineStart: number): void {
    const ids = this.buckets.get(key);
    if (ids === undefined) return;
    for (const id of ids) {
      if (matchesFolded(text, start, this.keywords[id]!)) this.push(id, start, lineStart);
    }
  }

  private scanSlow(text: string, id: number): void {
    const kw = this.keywords[id]!;
    if (kw.length === 0) return;
    const first = kw.charCodeAt(0);
    const leads = first >= 97 && first <= 122 ? [kw[0]!, String.fromCharCode(first - 32)] : [kw[0]!];
    for (const lead of leads) {
      let at = text.indexOf(lead);
      while (at !== -1) {
        if (matchesFolded(text, at, kw)) this.push(id, at, text.lastIndexOf('\n', at - 1) + 1);
        at = text.indexOf(lead, at + 1);
      }
    }
  }

  private push(id: number, position: number, lineStart: number): void {
    const hits = this.hits;
    if (hits.count >= MAX_HITS) {
      this.overflowed = true;
      return;
    }
    if (hits.count === hits.keyword.length) {
      hits.keyword = grow(hits.keyword);
      hits.position = grow(hits.position);
      hits.lineStart = grow(hits.lineStart);
    }
    hits.keyword[hits.count] = id;
    hits.position[hits.count] = position;
    hits.lineStart[hits.count] = lineStart;
    hits.count++;
  }
}

function quadHash(trigramKey: number, fourth: number): number {
  return Math.imul((trigramKey << 7) | fourth, 0x9e3779b1) >>> 12;
}

function grow(a: Int32Array): Int32Array {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** `kw` is lowercase; ASCII letters of the text are folded before comparing. */
export function matchesFolded(text: string, at: number, kw: string): boolean {
  if (at < 0 || at + kw.length > text.length) return false;
  for (let j = 0; j < kw.length; j++) {
    let c = text.charCodeAt(at + j);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== kw.charCodeAt(j)) return false;
  }
  return true;
}
