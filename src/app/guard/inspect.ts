import type { Repository, RevisionScope } from '../../adapters/git/repository.js';
import type { ObjectReader } from '../../adapters/git/object-reader.js';
import type { RawEntry } from '../../adapters/git/log-format.js';
import { privatePathViolations, type ChangedEntry } from '../../core/guard/entry-paths.js';
import { maskRefName, publishedRefNames, shortRefName } from '../../core/guard/ref-names.js';
import { emptyStats, type GuardReport, type Location, type Target } from '../../core/guard/types.js';
import { redactReport } from '../../core/redact.js';
import type { Candidate, Checks, SecretScanner } from './checks.js';
import { Findings } from './findings.js';
import { scanBlobs, scanTag } from './scan-blobs.js';

const isBlobMode = (mode: string) => mode === '100644' || mode === '100755' || mode === '120000';
const isZero = (oid: string) => /^0+$/.test(oid);


/**
 * What every guard runs: the commits of a scope with their changed entries, the
 * blobs the scope publishes (each scanned once, for the lines it adds), every
 * commit message, and the private zones and identifiers toward public remotes.
 */
export async function inspectScope(
  repo: Repository,
  scope: RevisionScope,
  target: Target,
  checks: Checks,
  extra: { tagObjects?: string[]; refs?: number; reader?: ObjectReader } = {},
): Promise<GuardReport> {
  const stats = emptyStats();
  stats.refs = extra.refs ?? 0;
  const found = new Findings(checks.findings);
  const everythingIsNew = scope.all === true && scope.exclude.length === 0 && !scope.excludeRemote;
  const newObjects = everythingIsNew ? undefined : repo.newObjects(scope);
  // awaited after the log; until then a failure must not surface as an unhandled rejection
  newObjects?.catch(() => undefined);
  const candidates = new Map<string, Candidate>();
  const changed: ChangedEntry[] = [];
  const seenCommits = new Set<string>();

  for await (const record of repo.commits(scope)) {
    if (!seenCommits.has(record.oid)) {
      seenCommits.add(record.oid);
      stats.messages++;
      const location: Location = { kind: 'commit-message', commit: record.oid };
      found.secrets(location, checks.scanner.scan(record.message, { kind: 'message' }));
      found.identifiers(location, record.message, checks.identifiers);
      // a customer's email domain in an author line is as telling as its name in a file
      if (checks.identifiers.length) found.identifiers({ kind: 'commit-identity', commit: record.oid }, record.identities, checks.identifiers);
    }
    for (const entry of record.entries) {
      if (checks.inZone) changed.push({ ...entry, commit: record.oid });
      if (!isBlobMode(entry.newMode) || isZero(entry.newOid)) continue;
      const key = scanKey(entry, checks.scanner);
      if (!candidates.has(key)) candidates.set(key, candidateOf(entry, record.oid));
    }
  }
  stats.commits = seenCommits.size;

  const fresh = newObjects ? await newObjects : undefined;
  const toScan = [...candidates.values()].filter((candidate) => !fresh || fresh.has(candidate.oid));
  return finish(repo, { target, checks, found, stats, changed, toScan, tagObjects: extra.tagObjects ?? [], reader: extra.reader });
}

/** The index against HEAD: what `git commit` is about to record. */
export async function inspectIndex(repo: Repository, target: Target, checks: Checks): Promise<GuardReport> {
  const stats = emptyStats();
  const found = new Findings(checks.findings);
  const entries = await repo.stagedEntries();
  const toScan = entries.filter((entry) => isBlobMode(entry.newMode) && !isZero(entry.newOid)).map((entry) => candidateOf(entry));
  const changed = checks.inZone ? entries : [];
  return finish(repo, { target, checks, found, stats, changed, toScan, tagObjects: [] });
}

async function finish(
  repo: Repository,
  run: {
    target: Target;
    checks: Checks;
    found: Findings;
    stats: GuardReport['stats'];
    changed: ChangedEntry[];
    toScan: Candidate[];
    tagObjects: string[];
    /** the caller's object reader, reused (one git process fewer) and left open */
    reader?: ObjectReader;
  },
): Promise<GuardReport> {
  const { checks, found, stats } = run;
  const target = checkRefNames(run.target, checks, found);
  if (checks.inZone) {
    // a loop, not a spread: a push of a hundred thousand private paths must not overflow the stack
    for (const violation of privatePathViolations(run.changed, checks.inZone)) found.violations.push(violation);
    const paths = new Set(run.changed.filter((entry) => entry.status !== 'D').map((entry) => entry.path));
    stats.paths = paths.size;
    for (const path of paths) found.identifiers({ kind: 'path', path }, path, checks.identifiers);
  }
  const reader = run.reader ?? repo.objects();
  try {
    await scanBlobs(reader, run.toScan, checks, found, stats);
    for (const tag of run.tagObjects) await scanTag(reader, tag, checks, found, stats);
  } finally {
    if (!run.reader) await reader.close();
  }
  return redactReport({ target, stats, violations: found.violations, notices: found.notices, policy: checks.policy, root: repo.info.root }, checks.redaction);
}

/**
 * A ref's name reaches the remote as surely as its content: `customer-globex-fix`
 * tells what `private/globex/` would. Secrets are checked toward every remote,
 * identifiers toward public ones; a name that carries a secret is printed masked.
 */
function checkRefNames(target: Target, checks: Checks, found: Findings): Target {
  if (!target.refs) return target;
  const masked = new Map<string, string>();
  for (const ref of publishedRefNames(target.refs)) {
    const findings = checks.scanner.scan(ref, { kind: 'message' });
    const shown = maskRefName(ref, findings.filter((finding) => !finding.suppressed));
    if (shown !== ref) masked.set(ref, shown);
    found.secrets({ kind: 'ref-name', ref: shown }, findings);
    found.identifiers({ kind: 'ref-name', ref: shown }, ref, checks.identifiers);
  }
  if (masked.size === 0) return target;
  const show = (ref: string) => masked.get(ref) ?? ref;
  const description = [...masked].reduce((text, [ref, shown]) => text.split(ref).join(shown).split(shortRefName(ref)).join(shortRefName(shown)), target.description);
  return { ...target, description, refs: target.refs.map((ref) => ({ ...ref, local: show(ref.local), remote: show(ref.remote) })) };
}

/**
 * A blob is scanned once, unless its verdict depends on where it sits: under a path
 * an allowlist covers (then once more for each other allowlist combination, so an
 * allowlisted copy cannot hide a reported one) or as a symlink (its target is
 * resolved from its own path).
 */
function scanKey(entry: RawEntry, scanner: SecretScanner): string {
  if (entry.newMode === '120000') return `${entry.newOid}\0${entry.path}`;
  const pathKey = scanner.pathKey(entry.path);
  return pathKey ? `${entry.newOid}\0${pathKey}` : entry.newOid;
}

function candidateOf(entry: RawEntry, commit?: string): Candidate {
  const candidate: Candidate = { oid: entry.newOid, path: entry.path, mode: entry.newMode, commit };
  if (isBlobMode(entry.oldMode) && !isZero(entry.oldOid)) candidate.oldOid = entry.oldOid;
  return candidate;
}

