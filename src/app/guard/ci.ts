import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repository, type RevisionScope } from '../../adapters/git/repository.js';
import { describeEvent, pushedRefs, readCiContext, type CiContext, type CiEvent } from '../../core/ci/event.js';
import { emptyStats, type GuardReport } from '../../core/guard/types.js';
import type { RemoteClass } from '../../core/remotes.js';
import { redactLines, redactReport } from '../../core/redact.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { repositoryPolicyPath } from '../../paths.js';
import type { PolicySource } from '../../policy/types.js';
import { classifyTarget } from '../remote-class.js';
import { shortRefName } from '../../core/guard/ref-names.js';
import { checksFor, preparePolicy, type GuardOptions } from './context.js';
import { inspectScope } from './inspect.js';

export interface CiRequest extends GuardOptions {
  cwd: string;
  base?: string;
  head?: string;
  remoteClass?: RemoteClass;
  /**
   * the CI clone's remote: missing history and the default branch are fetched from it (default origin, as CI
   * checkouts name it) and it is the remote classed (default: the policy's mirror remote, origin)
   */
  remote?: string;
}

export interface CiResult {
  report: GuardReport;
  ci: CiContext;
  notes: string[];
}

const FETCH_DEPTH_FIX = 'check out with the full history: actions/checkout with `fetch-depth: 0` (GitLab: GIT_DEPTH: 0)';
const OID = /^([0-9a-f]{40}|[0-9a-f]{64})$/;

function missingHistory(what: string): MirrorError {
  return new MirrorError('ci-history-missing', `${what} is not in this clone, so the range cannot be checked (it would not be safe to pass)`, {
    exitCode: ExitCode.usage,
    suggestions: [FETCH_DEPTH_FIX],
  });
}

/** The CI clone's history: deepened and fetched from the remote on demand. */
class History {
  private unshallowed = false;

  constructor(
    readonly repo: Repository,
    readonly remote: string,
  ) {}

  /** The whole history, when the clone is shallow and the remote reachable. */
  async unshallow(): Promise<void> {
    if (!this.repo.info.shallow || this.unshallowed) return;
    this.unshallowed = true;
    await this.repo.git(['fetch', '--quiet', '--unshallow', this.remote], { okCodes: [1, 128] });
  }

  /** A commit, deepening the clone or fetching it by id when it is missing; undefined when it cannot be had. */
  async find(oid: string): Promise<string | undefined> {
    const found = await this.repo.commitOf(oid);
    if (found) return found;
    await this.unshallow();
    const deepened = await this.repo.commitOf(oid);
    if (deepened || !OID.test(oid)) return deepened;
    await this.repo.git(['fetch', '--quiet', this.remote, oid], { okCodes: [1, 128] });
    return this.repo.commitOf(oid);
  }

  /** A commit the check needs, else an error: the job fails rather than pass on what it could not see. */
  async ensure(oid: string, what: string): Promise<string> {
    const found = await this.find(oid);
    if (found) return found;
    throw missingHistory(`${what} ${oid.slice(0, 12)}`);
  }

  /** A ref's object as the remote has it: the local copy, else fetched. */
  async ref(local: string, remoteRef: string): Promise<string | undefined> {
    const resolve = async () => {
      const result = await this.repo.git(['rev-parse', '--verify', '--quiet', '--end-of-options', local], { okCodes: [1, 128] });
      return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
    };
    const known = await resolve();
    if (known) return known;
    const fetched = await this.repo.git(['fetch', '--quiet', '--no-tags', this.remote, `+${remoteRef}:${local}`], { okCodes: [1, 128] });
    if (fetched.code === 0) return resolve();
    // "the remote has no such ref" is an answer; a fetch that failed otherwise (network, credentials) is not,
    // and taking it for one would judge the run by a weaker policy or a wider exclusion
    const listed = await this.repo.git(['ls-remote', '--exit-code', this.remote, remoteRef], { okCodes: [1, 2, 128] });
    if (listed.code === 2) return undefined;
    throw missingHistory(`${remoteRef} from ${this.remote}`);
  }
}

/** Commits whose parents a shallow clone cut off: a scan reaching them would be partial. */
function shallowBoundary(repo: Repository): Set<string> {
  const file = join(repo.info.commonDir, 'shallow');
  return existsSync(file) ? new Set(readFileSync(file, 'utf8').split('\n').filter(Boolean)) : new Set();
}

/** The default branch's name: from the event, else from the clone's or the remote's HEAD. */
async function defaultBranchName(history: History, fromEvent: string | undefined): Promise<string | undefined> {
  if (fromEvent) return fromEvent.replace(/^refs\/heads\//, '');
  const { repo, remote } = history;
  const local = await repo.git(['symbolic-ref', '--quiet', `refs/remotes/${remote}/HEAD`], { okCodes: [1, 128] });
  const name = local.stdout.toString('utf8').trim();
  if (local.code === 0 && name.startsWith(`refs/remotes/${remote}/`)) return name.slice(`refs/remotes/${remote}/`.length);
  const listed = await repo.git(['ls-remote', '--symref', remote, 'HEAD'], { okCodes: [1, 2, 128] });
  const match = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(listed.stdout.toString('utf8'));
  return match?.[1];
}

/** The default branch: what its own push events have checked, and whose policy is trusted. */
interface DefaultBranch {
  name?: string;
  /** its tip as the remote has it; undefined when the remote has no such branch (yet) */
  tip?: string;
}

async function defaultBranch(history: History, fromEvent: string | undefined): Promise<DefaultBranch> {
  const name = await defaultBranchName(history, fromEvent);
  if (!name) return {};
  const tip = await history.ref(`refs/remotes/${history.remote}/${name}`, `refs/heads/${name}`);
  return { name, tip: tip ? await history.find(tip) : undefined };
}

interface Plan {
  scope?: RevisionScope;
  tagObjects: string[];
  /** the commit whose `.mirror/policy.yml` judges the range; undefined: no earlier commit to trust */
  trusted?: string;
}

/**
 * What the run publishes, and which commit's policy judges it. A new branch, a
 * force push or a tag answers for everything its default branch does not have
 * (plus, for a force push, its previous tip): never for what other branches
 * have, since those were fetched after the push and may carry the same unchecked
 * commits (one push of the same commits to two new branches).
 */
async function scopeFor(history: History, event: CiEvent, defaultFromEvent: string | undefined, notes: string[]): Promise<Plan> {
  const { repo } = history;
  switch (event.kind) {
    case 'pull-request': {
      const head = await history.ensure(event.head, 'the head commit');
      const base = await history.ensure(event.base, 'the base commit');
      const mergeBase = await repo.mergeBase(base, head);
      if (!mergeBase) throw missingHistory('the merge base of the base and head commits');
      return { scope: { include: [head], exclude: [mergeBase] }, tagObjects: [], trusted: base };
    }
    case 'push': {
      if (event.deleted) {
        notes.push(`${event.branch} was deleted: a deletion publishes nothing`);
        return { tagObjects: [] };
      }
      const after = await history.ensure(event.after, 'the pushed commit');
      const main = await defaultBranch(history, defaultFromEvent);
      const isDefault = main.name !== undefined && main.name === event.branch;
      if (!isDefault && !main.tip && !event.created) {
        notes.push(`policy: no default branch on the remote to take it from: the branch's previous tip's ${repositoryPolicyPath} is used`);
      }
      // pushes to the default branch are judged by its previous tip's policy, every other branch by the default
      // branch's: a branch's own earlier push could have weakened the policy it would otherwise be judged by
      let before: string | undefined;
      if (!event.created) {
        before = await history.find(event.before);
        if (!before) {
          notes.push(`the previous tip ${event.before.slice(0, 12)} is neither in this clone nor on the remote (rewritten away): treated as a force push`);
        } else if (!event.forced) {
          if (await repo.isAncestor(before, after)) {
            return { scope: { include: [after], exclude: [before] }, tagObjects: [], trusted: isDefault ? before : (main.tip ?? before) };
          }
          notes.push('the previous tip is not an ancestor of the new one: treated as a force push');
        }
      }
      await history.unshallow();
      const exclude = [...(before ? [before] : []), ...(main.tip && !isDefault ? [main.tip] : [])];
      const against = [before ? 'the previous tip' : '', main.tip && !isDefault ? `${main.name}` : ''].filter(Boolean).join(' or ');
      notes.push(
        `${event.created ? 'new branch' : 'force push'}: everything ${against ? `not already on ${against}` : 'it reaches'} is checked` +
          (isDefault || !main.name ? '' : ` (${main.name}, the default branch, is checked by its own pushes)`),
      );
      if (!main.name) notes.push('the default branch is unknown: nothing is taken as already checked');
      else if (!main.tip && !isDefault) notes.push(`the default branch ${main.name} is not on the remote: nothing of it is taken as already checked`);
      return { scope: { include: [after], exclude }, tagObjects: [], trusted: isDefault ? before : (main.tip ?? before) };
    }
    case 'tag': {
      if (event.deleted) {
        notes.push(`tag ${event.tag} was deleted: a deletion publishes nothing`);
        return { tagObjects: [] };
      }
      const objects = [event.after];
      if (event.peeled) {
        // GitLab names the tagged commit: the tag object (an annotated tag's message) is the ref's
        const ref = await history.ref(`refs/tags/${event.tag}`, `refs/tags/${event.tag}`);
        if (!ref) throw missingHistory(`the tag ref refs/tags/${event.tag}`);
        if (ref !== event.after) objects.push(ref);
      }
      const tagObjects: string[] = [];
      const include: string[] = [];
      for (const object of objects) {
        // fetched first when missing, so an annotated tag is never mistaken for a lightweight one
        const commit = await history.ensure(object, 'the tagged commit');
        if (!include.includes(commit)) include.push(commit);
        const type = (await repo.git(['cat-file', '-t', object], { okCodes: [128] })).stdout.toString().trim();
        if (type === 'tag') tagObjects.push(object);
        else if (type !== 'commit') throw missingHistory(`the tag object ${object.slice(0, 12)}`);
      }
      const main = await defaultBranch(history, defaultFromEvent);
      await history.unshallow();
      notes.push(main.tip ? `tag: everything it reaches that ${main.name}, the default branch, does not is checked` : 'tag: no default branch on the remote, everything it reaches is checked');
      return { scope: { include, exclude: main.tip ? [main.tip] : [] }, tagObjects, trusted: main.tip };
    }
    case 'other': {
      const head = await history.ensure(event.head ?? 'HEAD', 'the checked-out commit');
      await history.unshallow();
      notes.push(`no range for a ${event.name || 'manual'} run: the whole history of ${head.slice(0, 10)} is checked`);
      return { scope: { include: [head], exclude: [] }, tagObjects: [] };
    }
  }
}

/**
 * The repository policy as a trusted commit has it: the range must not be able
 * to weaken the check that judges it. The commit is in the clone (the range
 * needed it); a commit without a policy file means the default policy.
 */
async function policyAt(repo: Repository, commit: string, notes: string[]): Promise<PolicySource> {
  if (!(await repo.commitOf(commit))) throw missingHistory(`the commit to take the policy from, ${commit.slice(0, 12)},`);
  const short = commit.slice(0, 10);
  const blob = await repo.git(['rev-parse', '--verify', '--quiet', `${commit}:${repositoryPolicyPath}`], { okCodes: [1, 128] });
  if (blob.code !== 0) {
    notes.push(`policy: ${short} has no ${repositoryPolicyPath}, so the default policy judges this run`);
    return { file: `${short}:(no ${repositoryPolicyPath}; default policy)`, text: '{}\n' };
  }
  const text = await repo.git(['cat-file', 'blob', blob.stdout.toString('utf8').trim()]);
  return { file: `${short}:${repositoryPolicyPath}`, text: text.stdout.toString('utf8') };
}

/**
 * `mirror guard ci`: works out what the CI run publishes from the event, then
 * runs the same inspection as the pre-push hook. It never passes on a range it
 * could not see.
 */
export async function guardCi(request: CiRequest, env: NodeJS.ProcessEnv = process.env): Promise<CiResult> {
  const repo = await Repository.open(request.cwd);
  const ci = readCiContext(env, (file) => readFileSync(file, 'utf8'));
  let event = ci.event;
  const overridden = Boolean(request.base || request.head);
  if (overridden) {
    event = { kind: 'pull-request', base: request.base ?? 'HEAD', head: request.head ?? 'HEAD' };
  }
  if (!event) {
    throw new MirrorError('ci-no-event', 'not running in a CI this command understands, and no --base/--head given', {
      exitCode: ExitCode.usage,
      suggestions: ['pass --base <rev> --head <rev>, or use `mirror guard range base..head`'],
    });
  }
  // CI checkouts (actions/checkout, GitLab runners) name the forge's remote origin
  const fetchRemote = request.remote ?? 'origin';
  const notes: string[] = [];
  // the range first: it deepens a shallow clone, so the trusted commit is there to read the policy from
  const { scope, tagObjects, trusted } = await scopeFor(new History(repo, fetchRemote), event, ci.defaultBranch, notes);

  let repositoryPolicy: PolicySource | undefined;
  if (!request.policyFile && !overridden && event.kind !== 'other') {
    if (trusted) repositoryPolicy = await policyAt(repo, trusted, notes);
    else if (scope) notes.push(`policy: no earlier commit to take it from (first push of the default branch, or no default branch on the remote): the pushed commit's own ${repositoryPolicyPath} is used`);
  }
  const prepared = await preparePolicy(repo, { ...request, repositoryPolicy });
  const remote = request.remote ?? prepared.policy.sync.mirrorRemote;
  const classification = request.remoteClass
    ? { class: request.remoteClass, reason: 'chosen with --remote-class' }
    : await classifyTarget(prepared.policy.remotes, repo, remote);

  const refs = pushedRefs(event);
  const target = {
    description: `${ci.provider === 'none' ? 'range' : ci.provider} ${describeEvent(event)}`,
    remoteClass: classification.class,
    remote: { name: remote, class: classification.class, reason: classification.reason },
    ...(refs.length > 0 ? { refs } : {}),
  };
  // notes name branches and tags, and reach the public job log and summary as the report does
  const shownNotes = redactLines(notes, prepared.identifiers);
  if (!scope) {
    const report = { target, stats: emptyStats(), violations: [], notices: [], policy: prepared.policyFiles };
    return { report: redactReport(report, prepared.identifiers), ci, notes: shownNotes };
  }

  const boundary = shallowBoundary(repo);
  if (boundary.size > 0) {
    const commits = (await repo.text(['rev-list', ...scope.include, '--not', ...scope.exclude, '--'])).split('\n');
    if (commits.some((oid) => boundary.has(oid))) throw missingHistory('history below the shallow clone\'s cut-off');
  }
  const report = await inspectScope(repo, scope, target, checksFor(prepared, classification.class), { tagObjects });
  // a ref name that carries a secret is printed masked in the notes as in the report
  const masked = refs.map((ref, i) => [ref.remote, report.target.refs?.[i]?.remote ?? ref.remote] as const).filter(([raw, shown]) => raw !== shown);
  const notesShown = masked.length === 0 ? shownNotes : redactLines(notes.map((note) => masked.reduce((text, [raw, shown]) => text.split(raw).join(shown).split(shortRefName(raw)).join(shortRefName(shown)), note)), prepared.identifiers);
  return { report, ci, notes: notesShown };
}
