import { decodeBase64Url } from './checksum.js';

/**
 * Low-value test credentials: what a test suite sends to its own server
 * (Basic credentials such as `tobi:ferret`, base64-encoded in the header). Refusing a push for
 * them teaches people to bypass the guard. Both conditions must hold:
 * - the path is a test file (TEST_PATH below), and
 * - every part of the credential (split on `:`) is a plain word: letters with at most
 *   four trailing digits, at most 16 letters, with a vowel (`ferret`, `admin1`,
 *   `Tobi`), the way a person types a fixture. A generated secret is never that.
 * Base64 secrets are decoded first (Basic credentials are base64 of `user:password`).
 */
const TEST_PATH =
  /(?:^|\/)(?:tests?|__tests__|specs?|testdata|test-data|fixtures?|__fixtures__|__mocks__|e2e|testing)\/|(?:^|\/)[^/]*(?:[._-](?:test|tests|spec|specs)\.[a-z0-9]+|_test\.go)$|(?:^|\/)test_[^/]*\.py$/i;

const WORD = /^[A-Za-z][a-z]{0,15}[0-9]{0,4}$/;
const VOWEL = /[aeiouy]/i;

export function isTestPath(path: string | undefined): boolean {
  return path !== undefined && TEST_PATH.test(path);
}

/** The credential as a person would read it: base64 decoded when it decodes to printable text. */
function readable(secret: string): string {
  if (secret.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(secret)) {
    const decoded = decodeBase64Url(secret);
    if (decoded !== undefined && /^[\x20-\x7e]+$/.test(decoded)) return decoded;
  }
  return secret;
}

export function isWordCredential(secret: string): boolean {
  const parts = readable(secret).split(':');
  return parts.length <= 4 && parts.every((part) => WORD.test(part) && VOWEL.test(part));
}

/** A plain-word credential inside a test file. */
export function isLowValueTestCredential(secret: string, path: string | undefined): boolean {
  return isTestPath(path) && isWordCredential(secret);
}
