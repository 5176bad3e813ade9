/**
 * Fake credentials, built at test time from parts: no complete token-shaped
 * literal is ever committed (so `mirror scan --history` on this repository
 * stays clean), yet each value has the shape and randomness of a real one.
 */
import { crc32, encodeBase62 } from '../../src/core/detect/checksum.js';

let state = 0x2545f491;

/** Deterministic xorshift so a failing test fails the same way twice. */
function next(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  return (state >>> 0) / 0x100000000;
}

export function randomFrom(alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += alphabet[Math.floor(next() * alphabet.length)];
  return out;
}

const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function awsAccessKeyId(): string {
  return ['AK', 'IA', randomFrom(UPPER32, 16)].join('');
}

export function slackBotToken(): string {
  return ['xo', 'xb-', randomFrom('0123456789', 12), '-', randomFrom('0123456789', 13), '-', randomFrom(BASE62, 24)].join('');
}

export function stripeLiveKey(): string {
  return ['sk', '_li', 've_', randomFrom(BASE62, 32)].join('');
}

/** A PEM private key block with a random body (not a real key; it only has to look like one). */
export function pemPrivateKey(): string {
  const dashes = '-'.repeat(5);
  const body = Array.from({ length: 6 }, () => randomFrom(BASE62 + '+/', 64)).join('\n');
  return [`${dashes}BEGIN RSA ${'PRIVATE'} KEY${dashes}`, body, `${dashes}END RSA ${'PRIVATE'} KEY${dashes}`].join('\n');
}

/** A GitHub personal access token whose CRC-32 holds (`valid`) or is broken (a typo'd or cut-short token). */
export function githubToken(valid = true): string {
  const body = randomFrom(BASE62, 30);
  let check = encodeBase62(crc32(body), 6);
  if (!valid) check = check.slice(0, 5) + (check[5] === 'a' ? 'b' : 'a');
  return ['gh', 'p_', body, check].join('');
}

/** A random npm-style automation token body (no prefix): `_authToken` values of private registries. */
export function registryToken(): string {
  return randomFrom(BASE62, 36);
}
