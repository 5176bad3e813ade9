import { MAX_REVEALED } from './literal-prefix.js';

/**
 * What a report may show of a secret. Short secrets show nothing: always the same
 * eight stars. Longer ones show only the fixed text their rule's format starts
 * with (`ghp_`, at most four characters; none for a password or any value without
 * one) and always the same number of stars, so no character of the secret itself
 * and not its length leaks.
 */
export const SHORT_SECRET = 20;
const SHORT_MASK = '********';
const MASK_STARS = 16;

export function maskSecret(secret: string, revealable = 0): string {
  if (secret.length < SHORT_SECRET) return SHORT_MASK;
  // Only printable ASCII is revealed: half a surrogate pair or a control character
  // would garble the report.
  const head = /^[\x21-\x7e]*/.exec(secret.slice(0, Math.min(revealable, MAX_REVEALED)))![0];
  return head + '*'.repeat(MASK_STARS);
}
