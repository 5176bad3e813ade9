import { createHash } from 'node:crypto';

/**
 * Values that match a provider's format but are published on purpose, so no push of them
 * leaks anything: the Google API keys written into the Firebase SDKs' tests and samples
 * (firebase-android-sdk, firebase-js-sdk), which every fork and vendored copy carries.
 * Kept as SHA-256 prefixes, not as the values: this file must not itself look like a leak.
 */
const KNOWN_PUBLIC_SHA256 = new Set([
  '27a9a42931dff7eb',
  '49f777db995e8260',
  'a6c814bc555ae62c',
  '8731261cb72d8626',
  '37f8f09bdf12c2f2',
  'eb540d2b6ee2a0a4',
  '2037abcaffb2b777',
  '3a8b61d0f636b007',
  '4c98242dcadc8b29',
  'ea9bb1082cf95663',
  '3f370c9dd8225c63',
  'a19f89ab3555eac1',
  'e4a5542bb7fd7b67',
  'dc0fcf046c61640c',
  'f56e323494a6ffc2',
  '0b476bdf9acf2123',
]);

/** Only Google API keys are listed: other values skip the hash. */
const CANDIDATE = /^AIza[\w-]{35}$/;

export function isKnownPublicValue(secret: string): boolean {
  if (!CANDIDATE.test(secret)) return false;
  return KNOWN_PUBLIC_SHA256.has(createHash('sha256').update(secret).digest('hex').slice(0, 16));
}
