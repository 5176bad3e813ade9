import type { GuardReport, Location } from '../core/guard/types.js';
import { redactIdentifiers, type Identifier } from '../core/identifiers.js';

/**
 * Applied once before any reporter: paths and descriptions lose private
 * identifiers (CI logs of a public repository are public). Secrets need nothing
 * here: a finding only ever carries a mask.
 */
export function redactReport(report: GuardReport, identifiers: readonly Identifier[]): GuardReport {
  if (identifiers.length === 0) return report;
  const text = (value: string) => redactIdentifiers(value, identifiers);
  const location = <L extends Location>(where: L): L => ('path' in where ? { ...where, path: text(where.path) } : where);
  return {
    ...report,
    target: { ...report.target, description: text(report.target.description) },
    violations: report.violations.map((violation) => ({ ...violation, location: location(violation.location) }) as typeof violation),
    notices: report.notices.map((notice) => ({ ...notice, location: location(notice.location) }) as typeof notice),
  };
}
