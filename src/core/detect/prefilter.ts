import type { TextLike } from './text.js';
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

/**
 * Each keyword is indexed by its rarest three-character piece, not its first: a keyword
 * like "confluence" would otherwise send every "con" of a text down the slow path. The
 * rarity model: the most frequent trigrams of source code (from this project's
 * node_modules: JS, TS, JSON, Markdown), then a per-character commonness weight.
 * Picking "nfl" instead of "con" took the share of bytes entering the slow path on that
 * corpus from 3.6% to about 0.5%.
 */
const COMMON_TRIGRAMS = new Map(
  (
  'ion tio ing the ent str ons con tri rin new thi his for com ate cti ati ter ret res tur ort typ ' +
  'ype por pro etu urn nst est ect pti unc rea int fun is. ode ame nct and sta nte par ers tor val ' +
  'ith exp end per ist mpo che mat equ use ted ser omm rep def nts orm var ara ess ten men req des ' +
  'get rat pon ont nde alu ead nam num scr ult lue rom epo rma ope cri ete met ull dat eve url pos ' +
  'ues que imp esc ine rip jec ber all ipt xpo ext opt cod ram mbe onf lic put man age htt ttp omp ' +
  'err fro ner one are der nce nfi ite mpl ile lis tat ele fig ver org obj nti ble not cat uri umb ' +
  'ace ass mma bje at: nul tru cre fil key enc ces ere pre ert cla era mod esp mit .co out abl tes ' +
  'ssi ema fin ven efi lea git nse ide fer sio lin ind oin fau aul spo ase ren set :// ror rro _ur ' +
  'ole ire nod und let ste tem tps lat sit sch wit efa red ref hem pat ned ins tin len ps: poi s:/ ' +
  'ple gin ali ack cal eat ore lse sin ica ule ata rop ean arr osi thu rec cke act hub tre nen eme ' +
  'own dec nal den les tar tra doc ool onl lar mes din eam app ed_ ill nly tim ory cto dpo dis ndp ' +
  'arg can las qui rra ifi boo pla ath ime acc ray ori er. anc del erf ito odu tch sol pes ies nco ' +
  'inp dul ene eco ran npu /re ket ndi ive our pec aut fac eng als s_u tic --- her ngt ign rot art ' +
  'low sto ses tha oke cce web pac '
  )
    .trim()
    .split(' ')
    .map((trigram, rank, all): [string, number] => [trigram, all.length - rank]),
);
/** Rough commonness of a character in source text; unlisted characters count as 1. */
const CHAR_WEIGHT: Record<string, number> = {
  ' ': 12, e: 12, t: 10, a: 9, o: 8, i: 8, n: 8, s: 8, r: 8, l: 5, c: 5, d: 4, u: 4, p: 4,
  m: 3, h: 3, f: 3, '.': 3, '"': 3, g: 2, b: 2, y: 2, v: 2, w: 2, _: 2, '-': 2, '/': 2,
};

/** Lower is rarer. */
function trigramCommonness(trigram: string): number {
  const rank = COMMON_TRIGRAMS.get(trigram);
  if (rank !== undefined) return 1000 + rank;
  let weight = 0;
  for (const c of trigram) weight += CHAR_WEIGHT[c] ?? 1;
  return weight;
}

/** Offset of the keyword's rarest trigram (the first of equally rare ones). */
export function rarestTrigramOffset(keyword: string): number {
  let best = 0;
  let bestScore = Infinity;
  for (let o = 0; o + 3 <= keyword.length; o++) {
    const score = trigramCommonness(keyword.slice(o, o + 3));
    if (score < bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

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
  /** trigram key -> (keyword id, offset of the trigram in the keyword) pairs */
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
      const ascii = (c: number) => c > 0 && c < 128 && c !== 10;
      if (kw.length < 3 || ![...kw].every((ch) => ascii(ch.charCodeAt(0)))) {
        this.slow.push(id);
        return;
      }
      const offset = rarestTrigramOffset(kw);
      const codes = [kw.charCodeAt(offset), kw.charCodeAt(offset + 1), kw.charCodeAt(offset + 2)];
      const key = (FOLD[codes[0]!]! << 14) | (FOLD[codes[1]!]! << 7) | FOLD[codes[2]!]!;
      this.trigram[key >> 3]! |= 1 << (key & 7);
      if (offset + 3 === kw.length) {
        // No fourth character to check before verifying.
        this.whole[key >> 3]! |= 1 << (key & 7);
      } else {
        const q = quadHash(key, FOLD[kw.charCodeAt(offset + 3)]!);
        this.quad[q >> 3]! |= 1 << (q & 7);
      }
      const list = this.buckets.get(key);
      if (list) list.push(id, offset);
      else this.buckets.set(key, [id, offset]);
    });
  }

  /**
   * Finds all keyword occurrences. `bytes`, when given, is `text` as Latin-1 bytes
   * (the caller decoded it that way), which spares re-encoding it here. The
   * returned object is reused by the next call.
   */
  scan(text: TextLike, bytes?: Uint8Array): KeywordHits {
    this.hits.count = 0;
    this.overflowed = false;
    if (bytes) this.scanBytes(text, bytes);
    else if (latinBytes && typeof text === 'string') this.scanBytes(text, latinBytes(text));
    else this.scanString(text);
    for (const id of this.slow) this.scanSlow(text, id);
    return this.hits;
  }

  /**
   * The hot loop only records candidate positions: calling out of it (to verify)
   * costs V8 about 40% of the loop's speed.
   */
  private scanBytes(text: TextLike, bytes: Uint8Array): void {
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

  private flush(text: TextLike, bytes: Uint8Array, count: number): void {
    const cand = this.candidates;
    const lines = this.candidateLines;
    for (let k = 0; k < count; k++) {
      const i = cand[k]!;
      const key = (FOLD[bytes[i - 2]!]! << 14) | (FOLD[bytes[i - 1]!]! << 7) | FOLD[bytes[i]!]!;
      this.verify(text, i - 2, key, lines[k]!);
    }
  }

  private scanString(text: TextLike): void {
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

  /** `start`: where the trigram starts in the text. */
  private verify(text: TextLike, start: number, key: number, lineStart: number): void {
    const pairs = this.buckets.get(key);
    if (pairs === undefined) return;
    for (let k = 0; k < pairs.length; k += 2) {
      const id = pairs[k]!;
      const at = start - pairs[k + 1]!;
      if (matchesFolded(text, at, this.keywords[id]!)) this.push(id, at, lineStart);
    }
  }

  private scanSlow(text: TextLike, id: number): void {
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
export function matchesFolded(text: TextLike, at: number, kw: string): boolean {
  if (at < 0 || at + kw.length > text.length) return false;
  for (let j = 0; j < kw.length; j++) {
    let c = text.charCodeAt(at + j);
    if (c >= 65 && c <= 90) c |= 32;
    if (c !== kw.charCodeAt(j)) return false;
  }
  return true;
}
