import type { Finding } from '../../src/core/detect/types.js';
import { emptyStats, type GuardReport, type Location, type Violation } from '../../src/core/guard/types.js';

/** Reports built by hand: a finding only carries a mask, so no token is needed. */
export function secretAt(location: Location, fingerprint = 'fp1:0123456789abcdef', line = 1, column = 5): Violation {
  const finding: Finding = { ruleId: 'demo-token', description: 'demo token', line, column, masked: 'dmo_' + '*'.repeat(36), fingerprint, confidence: 'high' };
  return { type: 'secret', location, finding };
}

export function reportOf(violations: Violation[], extra: Partial<GuardReport> = {}): GuardReport {
  return {
    target: { description: 'range a..b', remoteClass: 'public' },
    stats: emptyStats(),
    violations,
    notices: [],
    policy: [],
    ...extra,
  };
}

export const COMMIT = 'c'.repeat(40);
export const TAG = 'a'.repeat(40);
export const BLOB = 'b'.repeat(40);
