import { confidenceAtLeast, type Confidence, type Finding } from '../../core/detect/types.js';
import type { Location, Notice, Violation } from '../../core/guard/types.js';
import { findIdentifiers, type Identifier, type IdentifierHit } from '../../core/identifiers.js';

/** Collects findings into violations (reported) and notices (suppressed, skipped). */
export interface FindingsOptions {
  /** findings below it are warnings (notices), not violations; default `medium` */
  minConfidence?: Confidence;
  /** fingerprints of the baseline: findings accepted when it was made */
  baseline?: ReadonlySet<string>;
}

export class Findings {
  readonly violations: Violation[] = [];
  readonly notices: Notice[] = [];
  private readonly minConfidence: Confidence;
  private readonly baseline: ReadonlySet<string> | undefined;

  constructor(options: FindingsOptions = {}) {
    this.minConfidence = options.minConfidence ?? 'medium';
    this.baseline = options.baseline;
  }

  secrets(location: Location, findings: readonly Finding[]): void {
    for (const finding of findings) {
      if (finding.suppressed) this.notices.push({ type: 'suppressed', location, finding });
      else if (this.baseline?.has(finding.fingerprint)) this.notices.push({ type: 'suppressed', location, finding: { ...finding, suppressed: { by: 'baseline' } } });
      else if (!confidenceAtLeast(finding.confidence, this.minConfidence)) this.notices.push({ type: 'low-confidence', location, finding });
      else this.violations.push({ type: 'secret', location, finding });
    }
  }

  identifiers(location: Location, text: string, identifiers: readonly Identifier[]): void {
    this.identifierHits(location, findIdentifiers(text, identifiers));
  }

  identifierHits(location: Location, hits: readonly IdentifierHit[]): void {
    for (const hit of hits) {
      // In a path the hit's position is inside the path's name, not a line of the file:
      // reporters would print it as one (path:1:N, a SARIF region).
      const position = location.kind === 'path' || location.kind === 'commit-identity' || location.kind === 'tag-identity' || location.kind === 'ref-name' ? {} : { line: hit.line, column: hit.column };
      this.violations.push({ type: 'private-identifier', location, label: hit.label, ...position });
    }
  }

  oversize(location: Location, bytes: number, limits: { maxFileBytes: number; oversize: 'warn' | 'refuse' }): void {
    if (limits.oversize === 'refuse') this.violations.push({ type: 'oversize', location, bytes, limit: limits.maxFileBytes });
    else this.notices.push({ type: 'skipped-oversize', location, bytes, limit: limits.maxFileBytes });
  }
}
