import type { Detector } from '../detect/detector.js';
import { findIdentifiers, type Identifier } from '../identifiers.js';

/** What makes a branch name unfit for a public remote, said without the name itself. */
export type BranchNameProblem = { kind: 'identifier'; label: string } | { kind: 'secret'; rule: string; masked: string };

/**
 * A branch pushed upstream is public under its name: a customer's name in it
 * (`fix-for-globex`) or a token pasted into it leaks as surely as a file would.
 * Separators (`/`, `.`, `_`, `-`) are read as word breaks, so each part is matched.
 */
export function branchNameProblem(name: string, identifiers: readonly Identifier[], scanner: Pick<Detector, 'scan'>): BranchNameProblem | undefined {
  for (const text of [name, name.replace(/[/._-]+/g, ' ')]) {
    const hit = findIdentifiers(text, identifiers)[0];
    if (hit) return { kind: 'identifier', label: hit.label };
  }
  const secret = scanner.scan(name, { kind: 'message' }).find((finding) => !finding.suppressed);
  if (secret) return { kind: 'secret', rule: secret.ruleId, masked: secret.masked };
  return undefined;
}

/** The names sync-up tries, in order, when no --branch is given: the first clean one is used. */
export const DEFAULT_BRANCH_NAMES = ['mirror/sync-up', 'mirror/proposal', 'upstream-proposal'] as const;
