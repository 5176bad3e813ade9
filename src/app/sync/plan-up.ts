import { createHash } from 'node:crypto';
import { readNotes } from '../../adapters/git/notes.js';
import type { Repository } from '../../adapters/git/repository.js';
import { classifyCommit, markUpstream } from '../../core/sync/classify.js';
import { hexTokens, privateIdLookup } from '../../core/sync/message.js';
import { privateCopies, type CopyFacts } from '../../core/sync/private-copies.js';
import { netEntries, squashPairs } from '../../core/sync/squash.js';
import { findIdentifiers } from '../../core/identifiers.js';
import { createDetector } from '../../core/detect/index.js';
import { normaliseWhitespace, privateBlobsAround, privateTrees, type GraphCommit } from '../../core/sync/private-trees.js';
import { decode, isBinary } from '../../core/text.js';
import { isWorkflowPath, workflowHoldReasons } from '../../core/sync/held-workflows.js';
import { createZoneMatcher } from '../../core/zones.js';
import type { ObjectReader } from '../../adapters/git/object-reader.js';
import type { Candidate, Classified, CommitClass } from '../../core/sync/types.js';
import { alreadyUpstream } from '../../core/sync/upstream.js';
import { fastReplayPrefix, type FastCommit } from '../../core/sync/fast-replay.js';
import { redactIdentifiers, type Identifier } from '../../core/identifiers.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { describeViolation } from '../../report/describe.js';
import { checksFor, type Prepared } from '../guard/context.js';
import { inspectScope } from '../guard/inspect.js';
import { privatePathMatcher } from './private-paths.js';
import { loadSkipped, type SkipRecord } from './skipped.js';

export interface SyncUpPlan {
  upstreamRemote: string;
  /** `upstream/main` */
  upstreamRef: string;
  base: string;
  head: string;
  commits: Classified[];
  counts: Record<CommitClass, number>;
  /** candidates an earlier sync-up already published: branch and tip it was pushed with */
  proposed: Record<string, { branch: string; tip: string }>;
  /** the first replayed commits, as far as they apply without merging (written by fast-import) */
  fastReplay: FastCommit[];
  /** commits left out because an earlier run skipped them (the reason is printable) */
  skipped: { oid: string; date: string; reason: string }[];
  /** the sync.hold globs */
  hold: string[];
  /** public paths candidates write that stay in the mirror, with why (sync.hold, private workflows) */
  held: { path: string; reason: string }[];
}

export const CLASSES: CommitClass[] = ['public', 'mixed', 'private', 'blocked', 'skipped', 'upstream', 'empty'];

/**
 * Gathers every fact about upstream/main..main with a constant number of git
 * processes (one log with renames, one inspection, cherry, ls-tree of upstream/main
 * and of main, a batch lookup of the ids messages name, notes), then
 * classifies each commit with the pure core.
 */
export interface PlanOptions {
  split: boolean;
  /** propose the commits earlier runs skipped again */
  retrySkipped?: boolean;
  /** publish a blocked commit and the next one that removes what blocked it as one commit */
  squashFixed?: boolean;
  /** skip records besides those saved under .git/mirror/ (a dry run's --skip) */
  skip?: readonly SkipRecord[];
}

export async function planSyncUp(repo: Repository, prepared: Prepared, options: PlanOptions): Promise<SyncUpPlan> {
  const { upstreamRemote, branch, holdMessages, privateTrailers } = prepared.policy.sync;
  const upstreamRef = `${upstreamRemote}/${branch}`;
  const base = await repo.commitOf(`refs/remotes/${upstreamRef}`);
  if (!base) {
    throw new MirrorError('no-upstream', `there is no ${upstreamRef} to build on`, {
      exitCode: ExitCode.usage,
      suggestions: [`add the public repository as "${upstreamRemote}" (git remote add ${upstreamRemote} <url>) and fetch it`],
    });
  }
  const head = await repo.commitOf(`refs/heads/${branch}`);
  if (!head) throw new MirrorError('no-branch', `there is no local branch ${branch}`, { exitCode: ExitCode.usage });

  const scope = { include: [head], exclude: [base] };
  const candidates: Candidate[] = [];
  for await (const record of repo.commits(scope, { renames: true, noMerges: true })) {
    candidates.push({
      oid: record.oid,
      parents: record.parents,
      subject: record.message.split('\n')[0] ?? '',
      message: record.message,
      entries: record.entries.map(({ status, path, fromPath, oldMode, oldOid, newOid, newMode }) => ({ status, path, fromPath, oldMode, oldOid, newOid, newMode })),
    });
  }
  const isPrivatePath = privatePathMatcher(prepared.policy);
  const { blockers, secretInMessage, messageBlocked } = await findBlockers(repo, prepared, scope, upstreamRemote, isPrivatePath);
  const baseTree = await repo.treeEntries(base);
  const reader = repo.objects();
  let heldPaths: Map<string, Map<string, string>>;
  let copyFacts: CopyFacts;
  try {
    copyFacts = { isPrivatePath, ...(await blobFacts(repo, head, baseTree, isPrivatePath)), ...(await privateTreeFacts(repo, reader, scope, candidates, isPrivatePath)) };
    for (const [oid, reasons] of privateCopies(candidates, copyFacts)) {
      blockers.set(oid, [...(blockers.get(oid) ?? []), ...reasons]);
    }
    heldPaths = await findHeldPaths(reader, prepared, candidates, isPrivatePath);
  } finally {
    await reader.close();
  }

  const context = {
    isPrivatePath,
    blockers,
    holdMessages: holdMessages.map((pattern) => new RegExp(pattern.source, pattern.flags)),
    privateTrailers,
    isPrivateCommitId: await privateCommitIds(repo, base, candidates),
    split: options.split,
    heldPaths,
  };
  const skipRecords = new Map([...loadSkipped(repo.info.commonDir), ...(options.skip ?? [])].map((record) => [record.oid, record]));
  const provisional = candidates.map((candidate) => {
    const classified = classifyCommit(candidate, context);
    const skip = skipRecords.get(candidate.oid);
    if (!skip || !classified.replay || options.retrySkipped) return classified;
    const reason = `left out on ${skip.date.slice(0, 10)} (${skip.reason}); sync-up --retry-skipped proposes it again`;
    return { ...classified, class: 'skipped' as const, reasons: [reason], replay: false, dropPaths: [] };
  });
  if (options.squashFixed) await squashFixed(repo, prepared, candidates, provisional, { isPrivatePath, heldPaths, copyFacts: copyFacts!, messageBlocked });
  const replayable = new Set(provisional.filter((commit) => commit.replay).map((commit) => commit.oid));
  const { proposed, ...upstream } = await upstreamFacts(repo, base, head, candidates, isPrivatePath, baseTree);
  const reasons = alreadyUpstream(candidates, (oid) => replayable.has(oid), upstream);
  const commits = provisional.map((commit) => printable(markUpstream(commit, reasons.get(commit.oid)), secretInMessage, prepared.identifiers));

  const counts = Object.fromEntries(CLASSES.map((cls) => [cls, 0])) as Record<CommitClass, number>;
  for (const commit of commits) counts[commit.class]++;
  const byOid = new Map(candidates.map((candidate) => [candidate.oid, candidate]));
  const replayed = commits
    .filter((commit) => commit.replay)
    .map((commit) => {
      const candidate = byOid.get(commit.oid)!;
      const entries = commit.squash ? netEntries([...commit.squash.map((oid) => byOid.get(oid)!), candidate]) : candidate.entries;
      return { ...candidate, entries, dropPaths: commit.dropPaths };
    });
  const fastReplay = fastReplayPrefix(replayed, upstream.upstreamEntry);
  const held = new Map<string, string>();
  for (const paths of heldPaths.values()) for (const [path, why] of paths) held.set(path, why);
  const hold = prepared.policy.sync.hold.filter((entry, i, all) => all.findIndex((other) => other.glob === entry.glob) === i).map((entry) => entry.glob);
  const skipped = commits.filter((commit) => commit.class === 'skipped').map((commit) => ({ oid: commit.oid, date: skipRecords.get(commit.oid)!.date, reason: commit.reasons[0]! }));
  return { upstreamRemote, upstreamRef, base, head, commits, counts, proposed, fastReplay, hold, skipped, held: [...held].map(([path, reason]) => ({ path: redactIdentifiers(path, prepared.identifiers), reason: redactIdentifiers(reason, prepared.identifiers) })) };
}

/**
 * --squash-fixed: a blocked commit followed by one that removes what blocked it
 * goes up as one commit carrying their net change, when that net change, checked
 * as a whole (every public file it writes scanned entire for secrets and private
 * identifiers, and compared with the private blobs around both commits), is
 * clean. The fix takes the pair's place in the plan; the blocked commit's message
 * leads the squashed one unless the message itself was what blocked it. One more
 * object reader, in this mode only.
 */
async function squashFixed(
  repo: Repository,
  prepared: Prepared,
  candidates: readonly Candidate[],
  plan: Classified[],
  facts: { isPrivatePath: (path: string) => boolean; heldPaths: ReadonlyMap<string, ReadonlyMap<string, string>>; copyFacts: CopyFacts; messageBlocked: ReadonlySet<string> },
): Promise<void> {
  const index = new Map(plan.map((commit, i) => [commit.oid, i]));
  const byOid = new Map(candidates.map((candidate) => [candidate.oid, candidate]));
  const pairs = squashPairs(candidates, (oid) => plan[index.get(oid)!]?.class === 'blocked').filter(({ fix }) => plan[index.get(fix)!]!.replay);
  if (pairs.length === 0) return;
  const scanner = createDetector(prepared.policy.detection);
  const reader = repo.objects();
  try {
    for (const { blocked, fix } of pairs) {
      const net = netEntries([byOid.get(blocked)!, byOid.get(fix)!]);
      const held = new Map([...(facts.heldPaths.get(blocked) ?? []), ...(facts.heldPaths.get(fix) ?? [])]);
      const dropPaths = net.filter((entry) => facts.isPrivatePath(entry.path) || held.has(entry.path)).map((entry) => entry.path);
      const published = net.filter((entry) => entry.status !== 'D' && entry.newMode.startsWith('100') && !dropPaths.includes(entry.path));
      const problems: string[] = [];
      const around = [facts.copyFacts.privateAround?.(blocked), facts.copyFacts.privateAround?.(fix)];
      const contents = await Promise.all(reader.contents(published.map((entry) => entry.newOid)));
      published.forEach((entry, i) => {
        const source = around.map((blobs) => blobs?.get(entry.newOid)).find(Boolean);
        if (source) problems.push(`public ${entry.path} has the content of private ${source}`);
        const object = contents[i];
        if (!object) return problems.push(`${entry.path} cannot be read`);
        if (isBinary(object.data)) return;
        const text = decode(object.data);
        const secret = scanner.scan(text, { kind: 'content', path: entry.path }).find((finding) => !finding.suppressed);
        if (secret) problems.push(`${secret.ruleId} ${secret.masked} is still in ${entry.path}:${secret.line}`);
        const identifier = findIdentifiers(text, prepared.identifiers)[0];
        if (identifier) problems.push(`private identifier [${identifier.label}] is still in ${entry.path}:${identifier.line}`);
      });
      const [first, second] = [plan[index.get(blocked)!]!, plan[index.get(fix)!]!];
      if (net.length === dropPaths.length) problems.push('their net change publishes nothing');
      if (problems.length > 0) {
        first.reasons.push(`--squash-fixed: not squashed with ${fix.slice(0, 10)}, their net change is not clean: ${problems.slice(0, 3).join('; ')}`);
        continue;
      }
      const message = facts.messageBlocked.has(blocked) ? second.publicMessage : `${first.publicMessage.trimEnd()}\n\n${second.publicMessage}`;
      first.reasons.push(`--squash-fixed: goes up as one commit with ${fix.slice(0, 10)}, which removes what blocked it`);
      plan[index.get(fix)!] = {
        ...second,
        reasons: [`squashed with blocked ${blocked.slice(0, 10)} (--squash-fixed): their net change, checked as a whole, is clean`, ...second.reasons],
        dropPaths,
        publicMessage: message,
        squash: [blocked],
      };
    }
  } finally {
    await reader.close();
  }
}

/**
 * Public paths a candidate writes that stay in the mirror all the same: those
 * sync.hold lists (the files `mirror init` writes for the private side), and
 * workflows that run on self-hosted runners or read secrets, unless
 * sync.allowWorkflows lists them. Workflow blobs are read once each.
 */
async function findHeldPaths(reader: ObjectReader, prepared: Prepared, candidates: readonly Candidate[], isPrivatePath: (path: string) => boolean) {
  const { hold, allowWorkflows } = prepared.policy.sync;
  const listed = createZoneMatcher([{ name: 'sync.hold', description: '', include: hold, exclude: [] }]);
  const allowed = createZoneMatcher([{ name: 'sync.allowWorkflows', description: '', include: allowWorkflows, exclude: [] }]);
  const workflowBlobs = new Set<string>();
  for (const candidate of candidates) {
    for (const entry of candidate.entries) {
      if (entry.status !== 'D' && entry.newMode.startsWith('100') && isWorkflowPath(entry.path) && !isPrivatePath(entry.path) && !listed(entry.path) && !allowed(entry.path)) workflowBlobs.add(entry.newOid);
    }
  }
  const why = new Map<string, string>();
  const ids = [...workflowBlobs];
  const contents = await Promise.all(reader.contents(ids));
  contents.forEach((object, i) => {
    // a workflow git cannot give us is held: fail closed
    const reasons = object ? workflowHoldReasons(decode(object.data)) : ['its content could not be read'];
    if (reasons.length > 0) why.set(ids[i]!, `a workflow that ${reasons.slice(0, 3).join('; ')}${reasons.length > 3 ? '; …' : ''} (list it under sync.allowWorkflows to propose it)`);
  });
  const held = new Map<string, Map<string, string>>();
  for (const candidate of candidates) {
    const paths = new Map<string, string>();
    for (const entry of candidate.entries) {
      if (isPrivatePath(entry.path)) continue;
      const hit = listed(entry.path);
      if (hit) paths.set(entry.path, `listed in sync.hold (${hit.glob})`);
      else if (entry.status !== 'D' && why.has(entry.newOid) && isWorkflowPath(entry.path) && !allowed(entry.path)) paths.set(entry.path, why.get(entry.newOid)!);
    }
    if (paths.size > 0) held.set(candidate.oid, paths);
  }
  return held;
}

/**
 * The plan is printed and returned as JSON: a subject whose message carries a
 * secret is withheld, private identifiers become their labels (in subjects and in
 * reasons, which name paths), and a commit that stays in the mirror has no public
 * message to show.
 */
function printable(commit: Classified, secretInMessage: ReadonlySet<string>, identifiers: readonly Identifier[]): Classified {
  return {
    ...commit,
    subject: secretInMessage.has(commit.oid) ? '(subject withheld: it carries a secret)' : redactIdentifiers(commit.subject, identifiers),
    reasons: commit.reasons.map((reason) => redactIdentifiers(reason, identifiers)),
    publicMessage: commit.replay ? commit.publicMessage : '',
  };
}

/**
 * Secrets anywhere, and private identifiers outside the private paths, in what a
 * commit adds or in its message: such a commit cannot go public.
 */
async function findBlockers(
  repo: Repository,
  prepared: Prepared,
  scope: { include: string[]; exclude: string[] },
  upstreamRemote: string,
  isPrivatePath: (path: string) => boolean,
): Promise<{ blockers: Map<string, string[]>; secretInMessage: Set<string>; messageBlocked: Set<string> }> {
  const checks = { ...checksFor(prepared, 'public'), inZone: undefined };
  const target = { description: 'sync-up candidates', remoteClass: 'public' as const };
  const report = await inspectScope(repo, { ...scope, excludeRemote: upstreamRemote }, target, checks);
  const blockers = new Map<string, string[]>();
  const secretInMessage = new Set<string>();
  const messageBlocked = new Set<string>();
  for (const violation of report.violations) {
    const location = violation.location;
    const commit = 'commit' in location ? location.commit : undefined;
    if (!commit) continue;
    if (location.kind === 'commit-message' && violation.type === 'secret') secretInMessage.add(commit);
    if (violation.type === 'private-identifier' && 'path' in location && isPrivatePath(location.path)) continue;
    if (violation.type === 'oversize') continue;
    if (location.kind === 'commit-message' || location.kind === 'commit-identity') messageBlocked.add(commit);
    blockers.set(commit, [...(blockers.get(commit) ?? []), describeViolation(violation)]);
  }
  return { blockers, secretInMessage, messageBlocked };
}

/**
 * What the copy check needs beyond the log: the blobs upstream/main already has
 * (public content), and the blobs under a private zone in main's tree (one
 * ls-tree, whatever the number of commits).
 */
async function blobFacts(repo: Repository, head: string, baseTree: ReadonlyMap<string, string>, isPrivatePath: (path: string) => boolean) {
  const blobOf = (entry: string) => entry.slice(entry.indexOf(' ') + 1);
  const upstreamBlobs = new Set([...baseTree.values()].map(blobOf));
  const headPrivateBlobs = new Map<string, string>();
  for (const [path, entry] of await repo.treeEntries(head)) {
    if (isPrivatePath(path) && entry.startsWith('100') && !headPrivateBlobs.has(blobOf(entry))) headPrivateBlobs.set(blobOf(entry), path);
  }
  return { upstreamBlobs, headPrivateBlobs };
}

/**
 * What a commit could copy from a private zone: the private part of its tree and
 * its parents' (rebuilt from the candidates' log and one log of the range's
 * merges), and the text of those private blobs and of the public blobs the
 * candidates write, up to whitespace (one object reader). Two git processes,
 * whatever the number of commits.
 */
async function privateTreeFacts(
  repo: Repository,
  reader: ObjectReader,
  scope: { include: string[]; exclude: string[] }, candidates: readonly Candidate[], isPrivatePath: (path: string) => boolean) {
  const merges: GraphCommit[] = [];
  for await (const record of repo.commits(scope, { mergesOnly: true })) merges.push({ oid: record.oid, parents: record.parents, entries: record.entries });
  const graph = [...candidates.map((candidate) => ({ oid: candidate.oid, parents: candidate.parents ?? [], entries: candidate.entries })), ...merges];
  const trees = privateTrees(graph, isPrivatePath);
  const byOid = new Map(graph.map((commit) => [commit.oid, commit]));
  const around = new Map<string, Map<string, string>>();
  const privateAround = (oid: string) => {
    let blobs = around.get(oid);
    if (!blobs) around.set(oid, (blobs = byOid.has(oid) ? privateBlobsAround(byOid.get(oid)!, trees) : new Map()));
    return blobs;
  };

  const wanted = new Set<string>();
  for (const candidate of candidates) {
    const privateBlobs = privateAround(candidate.oid);
    if (privateBlobs.size === 0) continue;
    const published = candidate.entries.filter((entry) => entry.status !== 'D' && entry.newMode.startsWith('100') && !isPrivatePath(entry.path) && !privateBlobs.has(entry.newOid));
    if (published.length === 0) continue;
    for (const entry of published) wanted.add(entry.newOid);
    for (const blob of privateBlobs.keys()) wanted.add(blob);
  }
  const keys = new Map<string, string>();
  if (wanted.size > 0) {
    const ids = [...wanted].filter((oid) => !/^0+$/.test(oid));
    const infos = await reader.info(ids);
    // a text this large is compared by blob id only: reading it costs more than a copy this size is likely
    const readable = ids.filter((_, i) => infos[i]?.type === 'blob' && infos[i]!.size <= TEXT_KEY_LIMIT);
    const contents = await Promise.all(reader.contents(readable));
    contents.forEach((object, i) => {
      if (!object || isBinary(object.data)) return;
      const text = normaliseWhitespace(decode(object.data));
      if (text) keys.set(readable[i]!, createHash('sha256').update(text).digest('hex'));
    });
  }
  return { privateAround, textKey: (blob: string) => keys.get(blob) };
}

const TEXT_KEY_LIMIT = 1024 * 1024;

/**
 * Which hex tokens of the candidates' messages name a commit that upstream/main
 * does not have (a mirror commit, a merge of a private branch, a commit of a
 * private branch): those are replaced before a message goes public. Two git
 * processes, whatever the number of commits or tokens: one batch lookup
 * of the tokens, one rev-list of the commits they name against upstream/main. A
 * token that is ambiguous in the mirror counts as private.
 */
async function privateCommitIds(repo: Repository, base: string, candidates: readonly Candidate[]): Promise<(hex: string) => boolean> {
  const candidateId = privateIdLookup(candidates.map((candidate) => candidate.oid));
  const tokens = [...hexTokens(candidates.map((candidate) => candidate.message))].filter((token) => !candidateId(token));
  // both processes run even with nothing to look up: the count stays the same for every history
  const lines = (await repo.git(['cat-file', '--batch-check=%(objectname) %(objecttype)'], { input: tokens.map((token) => `${token}\n`).join('') })).stdout.toString('utf8').split('\n');
  const named = new Map<string, string>();
  const suspect = new Set<string>();
  tokens.forEach((token, i) => {
    const [name, kind] = (lines[i] ?? '').split(' ');
    if (kind === 'commit') named.set(token, name!);
    else if (kind === 'ambiguous') suspect.add(token);
  });
  const input = [...new Set(named.values()), `^${base}`].map((line) => `${line}\n`).join('');
  const outside = new Set((await repo.text(['rev-list', '--stdin'], { input })).split('\n'));
  for (const [token, commit] of named) if (outside.has(commit)) suspect.add(token);
  return (hex) => candidateId(hex) || suspect.has(hex);
}

async function upstreamFacts(
  repo: Repository,
  base: string,
  head: string,
  candidates: Candidate[],
  isPrivatePath: (path: string) => boolean,
  tree: ReadonlyMap<string, string>,
) {
  const cherry = await repo.text(['cherry', base, head]);
  const patchEquivalent = new Set(cherry.split('\n').filter((line) => line.startsWith('- ')).map((line) => line.slice(2)));

  const notes = await readNotes(repo);
  const published = candidates.filter((candidate) => notes.has(candidate.oid));
  const publishedMerged = new Set<string>();
  if (published.length > 0) {
    const reader = repo.objects();
    let present: string[];
    try {
      const infos = await reader.info(published.map((candidate) => notes.get(candidate.oid)!.published));
      present = published.filter((_, i) => infos[i]?.type === 'commit').map((candidate) => notes.get(candidate.oid)!.published);
    } finally {
      await reader.close();
    }
    // a published copy is merged when nothing of it is missing from upstream/main
    const outside = present.length ? new Set((await repo.text(['rev-list', ...present, '--not', base])).split('\n')) : new Set<string>();
    for (const candidate of published) {
      const copy = notes.get(candidate.oid)!.published;
      if (present.includes(copy) && !outside.has(copy)) publishedMerged.add(candidate.oid);
    }
  }
  const groups = new Map<string, string[]>();
  for (const candidate of published) {
    const tip = notes.get(candidate.oid)!.tip;
    groups.set(tip, [...(groups.get(tip) ?? []), candidate.oid]);
  }
  const proposed = Object.fromEntries(published.map((candidate) => [candidate.oid, { branch: notes.get(candidate.oid)!.branch, tip: notes.get(candidate.oid)!.tip }]));
  return { patchEquivalent, publishedMerged, upstreamEntry: (path: string) => tree.get(path), isPrivatePath, groups: [...groups.values()], proposed };
}
