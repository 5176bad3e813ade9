import type { GuardReport, Location } from './guard/types.js';
import { redactIdentifiers, type Identifier } from './identifiers.js';

/**
 * Credentials embedded in URLs (`https://user:token@host`) anywhere in a text. The
 * authority runs to the first `/`, `?`, `#` or space, and its user information to
 * the last `@` in it: a password may itself contain `@`.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}


/** Reports already redacted: a second pass would wrap `[label]` again when a label contains its own term. */
const redacted = new WeakSet<GuardReport>();

/**
 * Applied before any reporter: everything a report prints that came from a name
 * (paths, ref and remote names, descriptions) loses private identifiers (CI logs
 * of a public repository are public). Secrets need nothing here: a finding only
 * ever carries a mask. A report is redacted once; later calls return it as is.
 */
export function redactReport(report: GuardReport, identifiers: readonly Identifier[]): GuardReport {
  if (identifiers.length === 0 || redacted.has(report)) return report;
  const text = (value: string) => redactIdentifiers(value, identifiers);
  const optional = (value: string | undefined) => (value === undefined ? undefined : text(value));
  const location = <L extends Location>(where: L): L =>
    'path' in where ? { ...where, path: text(where.path) } : where.kind === 'ref-name' ? { ...where, ref: text(where.ref) } : where;
  const { remote, refs } = report.target;
  const out: GuardReport = {
    ...report,
    target: {
      ...report.target,
      description: text(report.target.description),
      ...(remote ? { remote: { ...remote, name: optional(remote.name), url: optional(remote.url), reason: text(remote.reason) } } : {}),
      ...(refs ? { refs: refs.map((ref) => ({ ...ref, local: text(ref.local), remote: text(ref.remote) })) } : {}),
    },
    ...(report.root !== undefined ? { root: text(report.root) } : {}),
    violations: report.violations.map((violation) => ({ ...violation, location: location(violation.location) }) as typeof violation),
    notices: report.notices.map((notice) => ({ ...notice, location: location(notice.location) }) as typeof notice),
  };
  redacted.add(out);
  return out;
}

/** Free text shown beside a report (the CI job's notes name branches and tags). */
export function redactLines(lines: readonly string[], identifiers: readonly Identifier[]): string[] {
  return lines.map((line) => redactIdentifiers(line, identifiers));
}
