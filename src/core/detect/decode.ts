import { base64Runs, type Codes, codesOf, escapeRuns, isHex, MIN_HEX_RUN, percentRuns } from './encoded-spans.js';
import type { TextLike } from './text.js';

/**
 * Encoded secrets: a token written as base64, base64url, hex, percent-encoding or with
 * JSON/JS string escapes is invisible to a regex. This finds the spans that could be
 * such an encoding and decodes them (nested up to MAX_DEPTH: base64 of a JSON whose
 * strings escape `/` as `\/`), so the detector can run every rule on the decoded text
 * and report what it finds at the encoded span.
 *
 * Cost is bounded by what is tried, not by the text: only runs of the right alphabet
 * and length are candidates, a candidate whose first bytes decode to binary (an
 * image, a hash) is dropped after decoding those bytes only, and a text yields at
 * most MAX_SEGMENTS decoded segments.
 */

export interface DecodedSegment {
  /** the decoded text */
  text: string;
  /** the encoded span in the text scanned (offsets) */
  start: number;
  end: number;
  /** the encodings undone, outermost first: `base64`, `base64/json-escape` */
  encoding: string;
}

export const MAX_DEPTH = 2;
/** a real encoded credential (even a kubeconfig) is far smaller; data URIs are larger */
export const MAX_SPAN = 16 * 1024;
export const MAX_SEGMENTS = 1000;
/** share of decoded characters that must be printable text */
const PRINTABLE_SHARE = 0.95;
/** how much is decoded before the printable verdict on a long candidate */
const PROBE = 96;

/**
 * `wanted`: whether a span of the text is worth decoding at all (the hook reports added lines only).
 * `bytes`: what a Latin-1 text was read from, so its characters are read without a string.
 */
export function decodeSegments(
  text: TextLike,
  depth = MAX_DEPTH,
  wanted: (start: number, end: number) => boolean = () => true,
  bytes?: Uint8Array,
): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  const codes = bytes ?? codesOf(typeof text === 'string' ? text : text.slice(0, text.length));
  collect(text, codes, depth, out, undefined, '', wanted);
  return out;
}

function collect(
  text: TextLike,
  codes: Codes,
  depth: number,
  out: DecodedSegment[],
  span: { start: number; end: number } | undefined,
  outer: string,
  wanted: (start: number, end: number) => boolean,
): void {
  if (depth <= 0) return;
  // nested text always belongs to a wanted outer span
  const skip = (start: number, end: number) => span === undefined && !wanted(start, end);
  const found: Array<{ start: number; end: number; text: string; encoding: string }> = [];
  const add = (start: number, end: number, decode: (run: string) => { text: string; encoding: string } | undefined) => {
    if (found.length >= MAX_SEGMENTS || end - start > MAX_SPAN || skip(start, end)) return;
    const decoded = decode(text.slice(start, end));
    if (decoded) found.push({ start, end, ...decoded });
  };
  for (const [start, end] of base64Runs(codes)) {
    if (!mayDecodeToText(codes, start, end)) continue;
    add(start, end, (run) => (/^[0-9a-fA-F]+$/.test(run) ? decodeHex(run) : decodeBase64(run)));
  }
  for (const [start, end] of percentRuns(codes)) add(start, end, (run) => wrap(decodePercent(run), 'percent'));
  for (const [start, end] of escapeRuns(codes)) add(start, end, (run) => wrap(decodeEscapes(run), 'json-escape'));
  for (const f of found) {
    if (out.length >= MAX_SEGMENTS) return;
    const encoding = outer === '' ? f.encoding : `${outer}/${f.encoding}`;
    // a nested segment is reported at the outermost span: that is what the file holds
    const where = span ?? { start: f.start, end: f.end };
    out.push({ text: f.text, ...where, encoding });
    collect(f.text, codesOf(f.text), depth - 1, out, where, encoding, wanted);
  }
}

const SIXBITS = new Int8Array(128).fill(-1);
for (const [i, c] of [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'].entries()) SIXBITS[c.charCodeAt(0)] = i;
SIXBITS[43] = SIXBITS[45] = 62; // + -
SIXBITS[47] = SIXBITS[95] = 63; // / _
const hexValue = (c: number) => (c <= 57 ? c - 48 : (c | 32) - 87);
/** ASCII control characters other than tab and line breaks: bad in every reading of the bytes */
const isControl = (b: number) => (b < 32 && b !== 9 && b !== 10 && b !== 13) || b === 127;

/**
 * A run's first bytes decoded straight from the character codes, without a string or a
 * buffer: when they already hold more control characters than the whole decoded text
 * may, neither decodeBase64 nor decodeHex could accept the run, so it is not sliced or
 * decoded at all. Most candidates in source code are identifiers and hashes that fail here.
 */
export function mayDecodeToText(codes: Codes, start: number, end: number): boolean {
  let body = end;
  while (body > start && codes[body - 1] === 61) body--;
  let hex = body === end;
  for (let i = start; hex && i < end; i++) hex = isHex(codes[i]!);
  const probe = Math.min(body - start, PROBE);
  const total = hex ? (body - start) >> 1 : ((body - start) * 3) >> 2;
  const allowed = total * (1 - PRINTABLE_SHARE);
  let bad = 0;
  if (hex) {
    for (let i = start; i + 1 < start + probe; i += 2) if (isControl((hexValue(codes[i]!) << 4) | hexValue(codes[i + 1]!)) && ++bad > allowed) return false;
    return true;
  }
  for (let i = start; i + 3 < start + probe; i += 4) {
    const n = (SIXBITS[codes[i]!]! << 18) | (SIXBITS[codes[i + 1]!]! << 12) | (SIXBITS[codes[i + 2]!]! << 6) | SIXBITS[codes[i + 3]!]!;
    if (isControl((n >> 16) & 255) && ++bad > allowed) return false;
    if (isControl((n >> 8) & 255) && ++bad > allowed) return false;
    if (isControl(n & 255) && ++bad > allowed) return false;
  }
  return true;
}

const wrap = (text: string | undefined, encoding: string) => (text === undefined ? undefined : { text, encoding });

/** Returns the decoded text when the run is plausible base64 or base64url of text. */
export function decodeBase64(run: string): { text: string; encoding: string } | undefined {
  const body = run.replace(/=+$/, '');
  const padding = run.length - body.length;
  if (padding > 0 && run.length % 4 !== 0) return undefined;
  if (body.length % 4 === 1) return undefined;
  const url = /[-_]/.test(body);
  if (url && /[+/]/.test(body)) return undefined;
  // identifiers and paths match the alphabet too: base64 of text mixes cases and digits
  if (!/[a-z]/.test(body) || !/[A-Z]/.test(body) || !/[0-9]/.test(body)) return undefined;
  const encoding = url ? 'base64url' : 'base64';
  if (body.length > PROBE && !printable(Buffer.from(body.slice(0, PROBE), encoding).toString('latin1'))) return undefined;
  const text = utf8(Buffer.from(body, encoding));
  return text === undefined ? undefined : { text, encoding };
}

export function decodeHex(run: string): { text: string; encoding: string } | undefined {
  if (run.length < MIN_HEX_RUN || run.length % 2 !== 0) return undefined;
  if (run.length > PROBE && !printable(Buffer.from(run.slice(0, PROBE), 'hex').toString('latin1'))) return undefined;
  const text = utf8(Buffer.from(run, 'hex'));
  return text === undefined ? undefined : { text, encoding: 'hex' };
}

export function decodePercent(run: string): string | undefined {
  try {
    const text = decodeURIComponent(run);
    return text !== run && printable(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

const SIMPLE_ESCAPES: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

export function decodeEscapes(run: string): string | undefined {
  const text = run.replace(/\\(?:u([0-9A-Fa-f]{4})|x([0-9A-Fa-f]{2})|(.))/g, (_, u: string, x: string, c: string) =>
    u ? String.fromCharCode(parseInt(u, 16)) : x ? String.fromCharCode(parseInt(x, 16)) : (SIMPLE_ESCAPES[c] ?? c),
  );
  return text !== run && printable(text) ? text : undefined;
}

const strict = new TextDecoder('utf-8', { fatal: true });

function utf8(bytes: Uint8Array): string | undefined {
  if (bytes.length < 8) return undefined;
  try {
    const text = strict.decode(bytes);
    return printable(text) ? text : undefined;
  } catch {
    return undefined;
  }
}

function printable(text: string): boolean {
  if (text.length === 0) return false;
  let bad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 10 && c !== 13) || c === 127 || (c >= 0x80 && c < 0xa0) || c === 0xfffd) bad++;
  }
  return bad <= text.length * (1 - PRINTABLE_SHARE);
}
