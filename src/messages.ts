import type { Violation } from './core/guard/types.js';

/** User-facing guidance, kept together so tests and docs can refer to it. */
export const FIX = {
  secret: (fingerprint: string) => [
    'remove the secret from the commits that add it (git rebase -i, git commit --amend) and rotate it: it may already be copied elsewhere',
    `not a secret? mark the line with "mirror:allow", or add to .mirror/policy.yml:  ignores: { add: [ { fingerprint: ${fingerprint}, reason: "<why>" } ] }`,
  ],
  privatePath: [
    'private paths never go to a public remote: publish with `mirror sync-up`, which leaves them behind',
    'or take the file out of these commits (git rebase -i), or, if it is not private, narrow the zone in .mirror/policy.yml',
  ],
  privateIdentifier: ['a private identifier (from your denylist) would become public: rephrase or remove it from the commits that add it'],
  oversize: (limit: number) => [`larger than limits.maxFileBytes (${limit} bytes), so it was not scanned: keep large files out, or raise the limit`],
} as const;

export function fixFor(violation: Violation): readonly string[] {
  switch (violation.type) {
    case 'secret':
      return FIX.secret(violation.finding.fingerprint);
    case 'private-path':
      return FIX.privatePath;
    case 'private-identifier':
      return FIX.privateIdentifier;
    case 'oversize':
      return FIX.oversize(violation.limit);
  }
}

/**
 * The same advice for a whole rule (a SARIF rule's help): it must not name one
 * finding's fingerprint, since every result of the rule shows that help.
 */
export function helpFor(violation: Violation): readonly string[] {
  return violation.type === 'secret' ? FIX.secret('<the fingerprint in the result>') : fixFor(violation);
}

export const REFUSED_FOOTER =
  'mirror refused this push. Fix the items above; `mirror guard --help` explains each check. Bypassing the hook (--no-verify) does not bypass the CI guard.';

export const HOOK_FAILED = 'mirror: the check could not complete, so the push is refused (fail closed). Fix the error above and push again.';
