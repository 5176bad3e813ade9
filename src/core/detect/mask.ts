/**
 * What a report may show of a secret. Short secrets show nothing and always the same
 * eight stars, so neither a character nor the length leaks; long ones show at most
 * their first four characters (usually the token type's prefix, e.g. `ghp_`) and at
 * most 36 stars.
 */
export const SHORT_SECRET = 20;
const SHORT_MASK = '********';
const MAX_STARS = 36;

export function maskSecret(secret: string): string {
  if (secret.length < SHORT_SECRET) return SHORT_MASK;
  // Only printable ASCII is revealed: half a surrogate pair or a control character
  // would garble the report.
  const head = /^[\x21-\x7e]{0,4}/.exec(secret)![0];
  return head + '*'.repeat(Math.min(secret.length - head.length, MAX_STARS));
}
