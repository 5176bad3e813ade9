import { createHash } from 'node:crypto';

/**
 * Stable id of (rule, secret), the key of `ignores` entries: the same on every run and
 * machine, independent of line numbers (which change on every rebase).
 * 64 bits of SHA-256: enough to never collide by accident, and no use for recovering
 * a high-entropy secret. A weak password can still be guessed offline from it, as
 * from any unsalted hash, which is one more reason to rotate rather than ignore.
 */
export const FINGERPRINT_PREFIX = 'fp1:';

export function fingerprint(ruleId: string, secret: string): string {
  const digest = createHash('sha256').update(ruleId).update('\0').update(secret).digest('hex');
  return FINGERPRINT_PREFIX + digest.slice(0, 16);
}
