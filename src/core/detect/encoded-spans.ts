/**
 * Where an encoding could be: maximal runs of an encoding's alphabet, found by loops
 * over character codes rather than regular expressions, because the expressions that
 * say the same (`[A-Za-z0-9+/_-]{20,}`, or a run holding at least one `\u` escape)
 * retry from every character of a run that fails, which on source code full of
 * identifiers and backslashes cost more than every rule together. No alphabet holds a
 * line break, so every run lies on one line: percent and escape runs are only looked
 * for on the lines that hold a `%XX` or a hiding escape.
 */

export type Span = [start: number, end: number];
/** the text's character codes: a blob's bytes read as Latin-1, or a string's UTF-16 units */
export type Codes = Uint8Array | Uint16Array;

/** base64 of a 15-character secret; shorter runs are identifiers, not encodings */
export const MIN_BASE64_RUN = 20;
/** hex of 16 bytes */
export const MIN_HEX_RUN = 32;

const LOWER = 1;
const UPPER = 2;
const DIGIT = 4;
const HEX_LETTER = 8;
const SYMBOL = 16;
const BASE64 = new Uint8Array(128);
for (let c = 97; c <= 122; c++) BASE64[c] = LOWER | (c <= 102 ? HEX_LETTER : 0);
for (let c = 65; c <= 90; c++) BASE64[c] = UPPER | (c <= 70 ? HEX_LETTER : 0);
for (let c = 48; c <= 57; c++) BASE64[c] = DIGIT;
for (const c of '+/_-') BASE64[c.charCodeAt(0)] = SYMBOL;

/** characters a percent-encoded run may hold besides `%XX` (a URL's, roughly) */
const URLISH = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~+=:@!$&*,;/-') URLISH[c.charCodeAt(0)] = 1;

const NEWLINE = 10;
const EQUALS = 61;
const PERCENT = 37;
const BACKSLASH = 92;

export const isHex = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);

export function codesOf(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) codes[i] = text.charCodeAt(i);
  return codes;
}

/**
 * Runs of base64/base64url characters, MIN_BASE64_RUN long or longer, with up to two
 * `=` of padding, that could decode to text: base64 of text mixes lower case, upper
 * case and digits; a run of hex digits is a candidate as hex. Identifiers, paths and
 * words match the alphabet too and are dropped here.
 */
export function base64Runs(codes: Codes): Span[] {
  const out: Span[] = [];
  const n = codes.length;
  const inAlphabet = (at: number) => {
    const c = codes[at]!;
    return c < 128 && BASE64[c] !== 0;
  };
  // Any MIN_BASE64_RUN consecutive characters hold one at a probe position, so a run
  // long enough holds a probe: only runs met at probes are followed, a fraction of
  // the text's words (the loop runs once per blob, mostly before it is optimised).
  let end = 0;
  for (let probe = MIN_BASE64_RUN - 1; probe < n; probe += MIN_BASE64_RUN) {
    if (probe < end || !inAlphabet(probe)) continue;
    let start = probe;
    while (start > end && inAlphabet(start - 1)) start--;
    let stop = probe + 1;
    while (stop < n && inAlphabet(stop)) stop++;
    end = stop;
    if (stop - start < MIN_BASE64_RUN) continue;
    let seen = 0;
    let nonHex = false;
    for (let i = start; i < stop; i++) {
      const cls = BASE64[codes[i]!]!;
      seen |= cls;
      if (cls !== DIGIT && (cls & HEX_LETTER) === 0) nonHex = true;
    }
    if (end < n && codes[end] === EQUALS) end++;
    if (end < n && codes[end] === EQUALS) end++;
    const text = (seen & (LOWER | UPPER | DIGIT)) === (LOWER | UPPER | DIGIT);
    const hex = !nonHex && stop - start >= MIN_HEX_RUN && end === stop;
    if (text || hex) out.push([start, end]);
  }
  return out;
}

/** Runs of URL characters holding at least two `%XX` escapes; a `%` not followed by two hex digits ends a run. */
export function percentRuns(codes: Codes): Span[] {
  const out: Span[] = [];
  forLinesWith(codes, PERCENT, (at) => at + 2 < codes.length && isHex(codes[at + 1]!) && isHex(codes[at + 2]!), (from, to) => percentRunsIn(codes, from, to, out));
  return out;
}

function percentRunsIn(codes: Codes, from: number, to: number, out: Span[]): void {
  let start = from;
  let escapes = 0;
  let i = from;
  while (i < to) {
    const c = codes[i]!;
    if (c === PERCENT && i + 2 < to && isHex(codes[i + 1]!) && isHex(codes[i + 2]!)) {
      escapes++;
      i += 3;
    } else if (c < 128 && URLISH[c] === 1) {
      i++;
    } else {
      if (escapes >= 2) out.push([start, i]);
      escapes = 0;
      start = ++i;
    }
  }
  if (escapes >= 2) out.push([start, to]);
}

/**
 * Runs of string-literal characters and escapes holding at least one escape that
 * hides a character (`\uXXXX`, `\xXX`, `\/`); whitespace, quotes and a backslash
 * that starts no escape end a run.
 */
export function escapeRuns(codes: Codes): Span[] {
  const out: Span[] = [];
  forLinesWith(codes, BACKSLASH, (at) => escapeAt(codes, at, codes.length) === HIDING, (from, to) => escapeRunsIn(codes, from, to, out));
  return out;
}

const NONE = 0;
const PLAIN = 1;
const HIDING = 2;

/** an escape at `at`: NONE, PLAIN (`\n`, `\"`, …) or HIDING (`\u002f`, `\x2f`, `\/`), and its length */
function escapeAt(codes: Codes, at: number, to: number): number {
  const next = at + 1 < to ? codes[at + 1]! : -1;
  if (next === 117 /* u */) return hexRun(codes, at + 2, 4, to) ? HIDING : NONE;
  if (next === 120 /* x */) return hexRun(codes, at + 2, 2, to) ? HIDING : NONE;
  if (next === 47 /* / */) return HIDING;
  // \" \' \\ \b \f \n \r \t
  return next === 34 || next === 39 || next === BACKSLASH || next === 98 || next === 102 || next === 110 || next === 114 || next === 116 ? PLAIN : NONE;
}

const escapeLength = (codes: Codes, at: number) => (codes[at + 1] === 117 ? 6 : codes[at + 1] === 120 ? 4 : 2);

function escapeRunsIn(codes: Codes, from: number, to: number, out: Span[]): void {
  let start = from;
  let hiding = false;
  let i = from;
  while (i < to) {
    const c = codes[i]!;
    if (c === BACKSLASH) {
      const kind = escapeAt(codes, i, to);
      if (kind !== NONE) {
        if (kind === HIDING) hiding = true;
        i += escapeLength(codes, i);
        continue;
      }
    } else if (!isSpace(c) && c !== 34 && c !== 39 && c !== 96) {
      i++;
      continue;
    }
    if (hiding && i > start) out.push([start, i]);
    hiding = false;
    start = ++i;
  }
  if (hiding && to > start) out.push([start, to]);
}

function hexRun(codes: Codes, from: number, count: number, to: number): boolean {
  if (from + count > to) return false;
  for (let i = from; i < from + count; i++) if (!isHex(codes[i]!)) return false;
  return true;
}

/** Calls `scan` once for each line holding a `mark` for which `starts` holds. */
function forLinesWith(codes: Codes, mark: number, starts: (at: number) => boolean, scan: (from: number, to: number) => void): void {
  let at = codes.indexOf(mark);
  while (at !== -1) {
    if (!starts(at)) {
      at = codes.indexOf(mark, at + 1);
      continue;
    }
    const from = codes.lastIndexOf(NEWLINE, at) + 1;
    let to = codes.indexOf(NEWLINE, at);
    if (to === -1) to = codes.length;
    scan(from, to);
    at = to < codes.length ? codes.indexOf(mark, to) : -1;
  }
}

/** what `\s` matches in a regular expression */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}
