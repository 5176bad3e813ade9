import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import type { ArtifactLocation, Log, Result, ReportingDescriptor } from 'sarif';
import type { GuardReport, Location, Violation } from '../core/guard/types.js';
import { lineOf, pathOf, ruleOf, summary, where } from './describe.js';
import { fixFor, helpFor } from '../messages.js';

const INFORMATION_URI = 'https://github.com/mirror-cli/mirror#readme';

/** SARIF 2.1.0: paths relative to the scanned root (%SRCROOT%), lines 1-based; every result has a location. */
export function toSarif(report: GuardReport, version: string): Log {
  const rules = new Map<string, ReportingDescriptor>();
  const results = report.violations.map((violation): Result => {
    const ruleId = ruleOf(violation);
    if (!rules.has(ruleId)) rules.set(ruleId, descriptor(ruleId, violation));
    return result(ruleId, violation);
  });
  // below the confidence the guard refuses at: still reported, as warnings
  for (const notice of report.notices) {
    if (notice.type !== 'low-confidence') continue;
    const violation: Violation = { type: 'secret', location: notice.location, finding: notice.finding };
    const ruleId = ruleOf(violation);
    if (!rules.has(ruleId)) rules.set(ruleId, descriptor(ruleId, violation));
    results.push({ ...result(ruleId, violation), level: 'warning' });
  }
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'mirror', version, informationUri: INFORMATION_URI, rules: [...rules.values()] } },
        // SARIF 3.14.14: an absolute URI ending in `/`; a report with no root leaves %SRCROOT% to the consumer
        ...(report.root !== undefined ? { originalUriBaseIds: { '%SRCROOT%': { uri: directoryUrl(report.root) } } } : {}),
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
  return { id, shortDescription: { text }, help: { text: helpFor(violation).join('\n') }, defaultConfiguration: { level: 'error' } };
}

function result(ruleId: string, violation: Violation): Result {
  const path = pathOf(violation.location);
  const { line, column } = lineOf(violation);
  const inRepository = path !== undefined;
  const what = inRepository ? summary(violation) : `${summary(violation)}, in the ${where(violation.location, { line, column })}`;
  // the fix of this one finding (its fingerprint for an ignore): the rule's help is generic
  const out: Result = { ruleId, level: 'error', message: { text: [what, ...fixFor(violation)].join('\n') } };
  out.locations = [
    {
      physicalLocation: {
        artifactLocation: artifactOf(path, violation.location),
        ...(line ? { region: { startLine: line, ...(column ? { startColumn: column } : {}) } } : {}),
      },
    },
  ];
  const properties: Record<string, string> = { ...objectProperties(violation.location) };
  if (violation.type === 'secret') {
    out.partialFingerprints = { 'mirror/v2': locatedFingerprint(violation.finding.fingerprint, violation.location) };
    properties.fingerprint = violation.finding.fingerprint;
    properties.confidence = violation.finding.confidence;
    if (violation.finding.encoding) properties.encoding = violation.finding.encoding;
  }
  if (Object.keys(properties).length) out.properties = properties;
  return out;
}

/**
 * Code scanning merges results with equal partial fingerprints into one alert: the
 * same key in two files, or in two messages, must stay two alerts. Not the commit
 * of a blob, though: the alert should follow the file from run to run. Hashed from
 * the redaction-safe fingerprint, never from the secret.
 */
function locatedFingerprint(fingerprint: string, location: Location): string {
  const where = pathOf(location) ?? objectUri(location);
  return createHash('sha256').update(`${fingerprint}\0${where}`).digest('hex').slice(0, 32);
}

/** `mirror scan` of a file outside the repository reports its absolute path: a file URL, relative to nothing. */
function artifactOf(path: string | undefined, location: Location): ArtifactLocation {
  if (path === undefined) return { uri: objectUri(location), uriBaseId: '%SRCROOT%' };
  if (isAbsolutePath(path)) return { uri: pathToFileURL(path).href };
  return { uri: encodePath(path), uriBaseId: '%SRCROOT%' };
}

/** Report paths are `/`-separated: `/tmp/x` on POSIX, `C:/tmp/x` on Windows. */
const isAbsolutePath = (path: string) => /^(?:\/|[A-Za-z]:\/)/.test(path);

function directoryUrl(root: string): string {
  const href = pathToFileURL(root).href;
  return href.endsWith('/') ? href : `${href}/`;
}

const encodePath = (path: string) => path.split('/').map(encodeURIComponent).join('/');

/**
 * Code scanning rejects a result without a location, and a message or a tagged
 * blob has no path. Such results point under `.git/mirror/`: no tracked file can
 * live under `.git/` (git refuses the name), so the location is never taken for,
 * nor collides with, a file of the repository; it names the object it stands for,
 * which `properties` repeat. The region is the line within the message.
 */
function objectUri(location: Location): string {
  switch (location.kind) {
    case 'commit-message':
      return `.git/mirror/commit/${location.commit}/message`;
    case 'commit-identity':
      return `.git/mirror/commit/${location.commit}/identity`;
    case 'tag-message':
      return `.git/mirror/tag/${location.tag}/message`;
    case 'tagged-blob':
      return `.git/mirror/blob/${location.blob}`;
    case 'ref-name':
      return '.git/mirror/ref-name';
    case 'tag-identity':
      return `.git/mirror/tag/${location.tag}/identity`;
    default:
      return '.git/mirror/unknown';
  }
}

function objectProperties(location: Location): Record<string, string> | undefined {
  switch (location.kind) {
    case 'blob':
    case 'path':
      return location.commit ? { commit: location.commit } : undefined;
    case 'file':
      return undefined;
    case 'commit-message':
      return { in: 'commit message', commit: location.commit };
    case 'commit-identity':
      return { in: 'commit author or committer', commit: location.commit };
    case 'tag-message':
      return { in: 'tag message', tag: location.tag, object: location.object };
    case 'ref-name':
      return { in: 'ref name', ref: location.ref };
    case 'tag-identity':
      return { in: 'tag name or tagger', tag: location.tag };
    case 'tagged-blob':
      return { in: 'tagged blob', tag: location.tag, blob: location.blob };
  }
}
