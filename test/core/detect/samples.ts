/**
 * Fake credentials for the detection tests, generated at test time.
 *
 * No complete token-shaped literal appears in this file or in any test: prefixes are
 * split (`['gh', 'p_']`), bodies come from a seeded PRNG, and each provider rule's
 * positive sample is generated from the rule's own regex. So `mirror scan --history`
 * over this repository stays clean, and a failing case fails the same way twice.
 */
import { createRequire } from 'node:module';
import { crc32, encodeBase62 } from '../../../src/core/detect/checksum.js';
import type { CompiledRule } from '../../../src/core/detect/types.js';

// randexp is CommonJS whose module.exports is the class itself, while its typings
// describe an ES default export; under NodeNext that default is undefined at run time.
// require() gives the class, typed here with just what these tests use.
interface CharRange {
  length: number;
  clone(): CharRange;
  add(from: number, to?: number): CharRange;
  subtract(from: number, to?: number): CharRange;
  intersect(other: CharRange): CharRange;
}
interface RegexGenerator {
  max: number;
  defaultRange: CharRange;
  randInt: (a: number, b: number) => number;
  _expand(token: { not?: boolean }): CharRange;
  gen(): string;
}
const RandExp = createRequire(import.meta.url)('randexp') as new (source: string, flags?: string) => RegexGenerator;

export const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const BASE64URL = BASE62 + '-_';
export const BASE64 = BASE62 + '+/';
export const HEX = '0123456789abcdef';

/** mulberry32: small, fast, good enough to make test data. */
export class Prng {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** integer in [a, b] */
  int(a: number, b: number): number {
    return a + Math.floor(this.next() * (b - a + 1));
  }

  pick(alphabet: string, length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += alphabet[this.int(0, alphabet.length - 1)];
    return out;
  }
}

/** A token of the GitHub / npm format: 30 random base62 characters and their CRC-32 in base62. */
export function checksummedToken(prefix: string, rng: Prng): string {
  const body = rng.pick(BASE62, 30);
  return [prefix, body, encodeBase62(crc32(body), 6)].join('');
}

export const githubPrefix = (kind: 'p' | 'o' | 'u' | 's' | 'r'): string => ['gh', kind, '_'].join('');
export const npmPrefix = (): string => ['np', 'm_'].join('');

/** Flips one character of the token's random body so its checksum no longer holds. */
export function breakChecksum(token: string): string {
  const at = token.length - 10;
  const c = token[at]!;
  const flipped = c === 'a' ? 'b' : 'a';
  return token.slice(0, at) + flipped + token.slice(at + 1);
}

const base64url = (s: string): string => Buffer.from(s).toString('base64url');

/** A JWT whose header names an algorithm (what the `jwt` check accepts); the signature is random. */
export function jwt(rng: Prng, header: object = { alg: 'HS256', typ: 'JWT' }): string {
  const payload = { sub: rng.pick(BASE62, 12), iat: 1_700_000_000 + rng.int(0, 1e6), role: 'service_role' };
  return [base64url(JSON.stringify(header)), base64url(JSON.stringify(payload)), rng.pick(BASE64URL, 43)].join('.');
}

/** A PEM block with a random body (not a real key: only its shape matters). */
export function pem(label: string, rng: Prng, lines = 8, eol = '\n'): string {
  const dashes = '-'.repeat(5);
  const body = Array.from({ length: lines }, () => rng.pick(BASE64, 64));
  return [`${dashes}BEGIN ${label}${dashes}`, ...body, `${dashes}END ${label}${dashes}`].join(eol);
}

/** Words that make `[Pp]rivate [Kk]ey` labels without writing the phrase whole. */
export const PRIVATE_KEY = ['PRIVATE', 'KEY'].join(' ');

/**
 * A positive sample for a rule: a string its regex matches, from randexp driven by a
 * seeded PRNG, then repaired where a regex cannot express the format (checksums).
 */
export function sampleFor(rule: CompiledRule, seed: number): string {
  if (!rule.pattern) throw new Error(`rule ${rule.id} has no regex`);
  const rng = new Prng(seed);
  const gen = new RandExp(rule.pattern.source, rule.pattern.flags.includes('i') ? 'i' : '');
  gen.max = 4;
  gen.randInt = (a: number, b: number) => rng.int(a, b);
  // Negated classes (`[^\s"']`) draw from letters, digits and `-._` rather than all of
  // printable ASCII: a password of `*&%$` is a placeholder the heuristics rightly drop.
  const realistic = gen.defaultRange
    .clone()
    .subtract(0x20, 0x2f)
    .subtract(0x3a, 0x40)
    .subtract(0x5b, 0x60)
    .subtract(0x7b, 0x7e)
    .add(0x2d, 0x2e)
    .add(0x5f);
  const expand = gen._expand.bind(gen);
  gen._expand = (token) => {
    const range = expand(token);
    if (!token.not) return range;
    const narrowed = range.clone().intersect(realistic);
    return narrowed.length > 0 ? narrowed : range;
  };
  let sample = gen.gen();
  if (rule.checksum === 'github' || rule.checksum === 'npm') {
    sample = sample.replace(/\b(gh[pousr]_|npm_)[A-Za-z0-9]{36}/i, (_m: string, prefix: string) => checksummedToken(prefix, rng));
  } else if (rule.checksum === 'jwt') {
    sample = sample.replace(/eyJ[\w-]*\.eyJ[\w-]*\.[\w-]*/i, () => jwt(rng));
  }
  return sample;
}
