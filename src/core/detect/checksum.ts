import type { ChecksumId } from './types.js';

/**
 * Offline validity checks. A token format with a checksum lets the scanner tell a
 * real credential from a hand-typed placeholder of the right shape, without any
 * network call.
 */

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE 802.3, as zlib) of the string's code units taken as bytes; callers pass ASCII. */
export function crc32(s: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < s.length; i++) crc = CRC_TABLE[(crc ^ s.charCodeAt(i)) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Base62 (digits, upper, lower), left-padded with `0` to `width`. */
export function encodeBase62(n: number, width: number): string {
  let out = '';
  let v = n;
  do {
    out = BASE62[v % 62]! + out;
    v = Math.floor(v / 62);
  } while (v > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub (`ghp_` and siblings) and npm (`npm_`) tokens: after the prefix come 30
 * random base62 characters and 6 base62 characters of the CRC-32 of those 30 (the
 * prefix is not part of the checksummed data; checked against several independent
 * implementations, which agree).
 */
export function prefixedCrc32Valid(token: string, prefixes: readonly string[]): boolean {
  const prefix = prefixes.find((p) => token.startsWith(p));
  if (prefix === undefined) return false;
  const body = token.slice(prefix.length);
  if (body.length !== 36 || !/^[0-9A-Za-z]{36}$/.test(body)) return false;
  return encodeBase62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}

const GITHUB_PREFIXES = ['ghp_', 'gho_', 'ghu_', 'ghs_', 'ghr_'];
const NPM_PREFIXES = ['npm_'];

/**
 * A JWT header past this is not parsed (a real one is under 1 KiB). Past it the
 * token counts as valid: a failed check would veto every other rule on the text,
 * so a budget that answered "invalid" would hide whatever was padded to exceed it.
 */
export const MAX_JWT_HEADER_CHARS = 8 * 1024;

/** A JWS/JWE whose header is a JSON object naming its algorithm. */
export function jwtValid(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot <= 0) return false;
  if (dot > MAX_JWT_HEADER_CHARS) return true;
  const header = decodeBase64Url(token.slice(0, dot));
  if (header === undefined) return false;
  try {
    const parsed: unknown = JSON.parse(header);
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { alg?: unknown }).alg === 'string';
  } catch {
    // JSON.parse quotes its input in the message: never let it escape.
    return false;
  }
}

/**
 * A JWT whose header is damaged but still names an algorithm (`{"alg":` then bytes that
 * are no longer JSON): a real token with a typo or a cut, reported at low confidence.
 */
export function jwtHeaderNamesAlgorithm(token: string): boolean {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot > MAX_JWT_HEADER_CHARS) return false;
  // a damaged header need not decode whole: its first characters, cut to a whole base64 group, still do
  const header = decodeBase64Url(token.slice(0, dot - (dot % 4)));
  return header !== undefined && header.includes('"alg"');
}

/** Decodes base64 or base64url (padding optional) to a binary string; undefined when malformed. */
export function decodeBase64Url(s: string): string | undefined {
  if (!/^[A-Za-z0-9_\-+/]*={0,2}$/.test(s)) return undefined;
  let b = s.replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (b.length % 4 === 1) return undefined;
  while (b.length % 4 !== 0) b += '=';
  try {
    return atob(b);
  } catch {
    return undefined;
  }
}

export function checksumValid(id: ChecksumId, secret: string): boolean {
  switch (id) {
    case 'github':
      return prefixedCrc32Valid(secret, GITHUB_PREFIXES);
    case 'npm':
      return prefixedCrc32Valid(secret, NPM_PREFIXES);
    case 'jwt':
      return jwtValid(secret);
  }
}
