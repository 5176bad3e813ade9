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
/** base64 of a 15-character secret; shorter runs are identifiers, not encodings */
export const MIN_BASE64 = 20;
/** hex of 16 bytes */
export const MIN_HEX = 32;
/** a real encoded credential (even a kubeconfig) is far smaller; data URIs are larger */
export const MAX_SPAN = 16 * 1024;
export const MAX_SEGMENTS = 1000;
/** share of decoded characters that must be printable text */
const PRINTABLE_SHARE = 0.95;
/** how much is decoded before the printable verdict on a long candidate */
const PROBE = 96;

const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const PERCENT_RUN = /[\w.~+=:@!$&*,;/-]*(?:%[0-9A-Fa-f]{2}[\w.~+=:@!$&*,;/-]*){2,}/g;
const ESCAPE_RUN = /(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[/"'\\bfnrt]|[^\s"'`\\])*(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\\/)(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[/"'\\bfnrt]|[^\s"'`\\])*/g;

/** `wanted`: whether a span of the text is worth decoding at all (the hook reports added lines only) */
export function decodeSegments(text: TextLike, depth = MAX_DEPTH, wanted: (start: number, end: number) => boolean = () => true): DecodedSegment[] {
  const out: DecodedSegment[] = [];
  collect(typeof text === 'string' ? text : text.slice(0, text.length), depth, out, undefined, '', wanted);
  return out;
}

function collect(
  text: string,
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
  BASE64_RUN.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = BASE64_RUN.exec(text)) !== null && found.length < MAX_SEGMENTS) {
    const run = m[0];
    if (run.length > MAX_SPAN || skip(m.index, m.index + run.length)) continue;
    const decoded = /^[0-9a-fA-F]+$/.test(run) ? decodeHex(run) : decodeBase64(run);
    if (decoded) found.push({ start: m.index, end: m.index + run.length, ...decoded });
  }
  if (text.includes('%')) {
    PERCENT_RUN.lastIndex = 0;
    while ((m = PERCENT_RUN.exec(text)) !== null && found.length < MAX_SEGMENTS) {
      if (m[0].length > MAX_SPAN || skip(m.index, m.index + m[0].length)) continue;
      const decoded = decodePercent(m[0]);
      if (decoded !== undefined) found.push({ start: m.index, end: m.index + m[0].length, text: decoded, encoding: 'percent' });
    }
  }
  if (text.includes('\\')) {
    ESCAPE_RUN.lastIndex = 0;
    while ((m = ESCAPE_RUN.exec(text)) !== null && found.length < MAX_SEGMENTS) {
      if (m[0].length === 0) {
        ESCAPE_RUN.lastIndex++;
        continue;
      }
      if (m[0].length > MAX_SPAN || skip(m.index, m.index + m[0].length)) continue;
      const decoded = decodeEscapes(m[0]);
      if (decoded !== undefined) found.push({ start: m.index, end: m.index + m[0].length, text: decoded, encoding: 'json-escape' });
    }
  }
  for (const f of found) {
    if (out.length >= MAX_SEGMENTS) return;
    const encoding = outer === '' ? f.encoding : `${outer}/${f.encoding}`;
    // a nested segment is reported at the outermost span: that is what the file holds
    const where = span ?? { start: f.start, end: f.end };
    out.push({ text: f.text, ...where, encoding });
    collect(f.text, depth - 1, out, where, encoding, wanted);
  }
}

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
  if (run.length < MIN_HEX || run.length % 2 !== 0) return undefined;
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
