import type { Finding } from '../detect/types.js';

/**
 * The printable form of a ref name that carries a secret: the name up to the
 * secret, then the finding's mask. What follows the secret is left out, since a
 * mask does not say where the secret ends.
 */
export function maskRefName(ref: string, findings: readonly Finding[]): string {
  if (findings.length === 0) return ref;
  const first = Math.min(...findings.map((finding) => finding.column));
  const finding = findings.find((candidate) => candidate.column === first)!;
  return `${ref.slice(0, first - 1)}${finding.masked}…`;
}

/** The names a push creates or moves on the remote: a deleted ref publishes nothing new. */
export function publishedRefNames(refs: readonly { remote: string; kind: 'new' | 'update' | 'delete' | 'unchanged' }[]): string[] {
  return [...new Set(refs.filter((ref) => ref.kind === 'new' || ref.kind === 'update').map((ref) => ref.remote))];
}

/** `main` for `refs/heads/main`, `v1` for `refs/tags/v1`: how logs and notes name a ref. */
export const shortRefName = (ref: string): string => ref.replace(/^refs\/(heads|tags)\//, '');
