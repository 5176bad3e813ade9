import type { Log, Result, ReportingDescriptor } from 'sarif';
import type { GuardReport, Violation } from '../core/guard/types.js';
import { lineOf, pathOf, ruleOf, summary } from './describe.js';
import { fixFor } from '../messages.js';

const INFORMATION_URI = 'https://github.com/mirror-cli/mirror#readme';

/** SARIF 2.1.0: paths relative to the scanned root (%SRCROOT%), lines 1-based. */
export function toSarif(report: GuardReport, version: string): Log {
  const rules = new Map<string, ReportingDescriptor>();
  const results = report.violations.map((violation): Result => {
    const ruleId = ruleOf(violation);
    if (!rules.has(ruleId)) rules.set(ruleId, descriptor(ruleId, violation));
    return result(ruleId, violation);
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mirror', version, informationUri: INFORMATION_URI, rules: [...rules.values()] } },
        originalUriBaseIds: { '%SRCROOT%': { uri: './' } },
        results,
      },
    ],
  };
}

function descriptor(id: string, violation: Violation): ReportingDescriptor {
  const text =
    violation.type === 'secret'
      ? violation.finding.description
      : violation.type === 'private-path'
        ? `path in the private zone "${violation.zone}"`
        : violation.type === 'private-identifier'
          ? 'private identifier'
          : 'file over the size limit, not scanned';
  return { id, shortDescription: { text }, help: { text: fixFor(violation).join('\n') }, defaultConfiguration: { level: 'error' } };
}

function result(ruleId: string, violation: Violation): Result {
  const path = pathOf(violation.location);
  const { line, column } = lineOf(violation);
  const out: Result = { ruleId, level: 'error', message: { text: summary(violation) } };
  if (path !== undefined) {
    out.locations = [
      {
        physicalLocation: {
          artifactLocation: { uri: path.split('/').map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' },
          ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
        },
      },
    ];
  }
  if (violation.type === 'secret') out.partialFingerprints = { 'mirror/v1': violation.finding.fingerprint };
  const commit = 'commit' in violation.location ? violation.location.commit : undefined;
  if (commit) out.properties = { commit };
  return out;
}
