import type { GuardReport } from '../core/guard/types.js';

export const REPORT_FORMAT_VERSION = 1;

/** The report as data; stable keys, documented in the README. */
export function toJson(report: GuardReport, exitCode: number) {
  return {
    version: REPORT_FORMAT_VERSION,
    refused: report.violations.length > 0,
    exitCode,
    target: report.target,
    stats: report.stats,
    violations: report.violations,
    notices: report.notices,
    policy: report.policy,
  };
}
