import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import {
  ciFetchUrl,
  decideFile,
  planGitignore,
  renderFiles,
  resolveInitOptions,
  FLEET_TOKEN_SECRET,
  POLICY_PATH,
  type InitForge,
  type InitRequest as CoreInitRequest,
  type InitRole,
} from '../../core/init/index.js';
import type { HookName } from '../../core/hooks/script.js';
import { classifyRemote, redactUrl } from '../../core/remotes.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { fleetFilePath as FLEET_FILE } from '../../paths.js';
import { readDefaultPolicy } from '../../policy/load.js';
import { resolvePolicy } from '../../policy/resolve.js';
import { classifyTarget } from '../remote-class.js';
import { hookState, installHooks } from '../hooks/install.js';

export const INIT_HOOKS: readonly HookName[] = ['pre-push', 'pre-commit'];
const UPSTREAM = 'upstream';
const ORIGIN = 'origin';

export interface InitRequest extends CoreInitRequest {
  cwd: string;
  /** say what would change, change nothing */
  dryRun?: boolean;
  /** replace files that differ from the templates, and an upstream remote with another URL */
  force?: boolean;
}

export type InitStatus = 'created' | 'updated' | 'unchanged' | 'kept' | 'would-create' | 'would-update';

export interface InitAction {
  kind: 'remote' | 'policy' | 'workflow' | 'gitignore' | 'hook';
  /** a path relative to the repository root, a remote name or a hook name */
  target: string;
  status: InitStatus;
  detail?: string;
  /** with --dry-run: what would be written */
  content?: string;
}

export interface InitResult {
  role: InitRole;
  forge: InitForge;
  actionRef: string;
  root: string;
  dryRun: boolean;
  actions: InitAction[];
  /** true when something was (or, with --dry-run, would be) changed */
  changed: boolean;
  notes: string[];
}

const CHANGES: ReadonlySet<InitStatus> = new Set(['created', 'updated', 'would-create', 'would-update']);

/**
 * Sets a repository up for the pattern: in a private mirror the upstream remote,
 * policy, .gitignore entries, hooks and the sync-down and experiment workflows; in
 * the public repository the policy, hooks and the guard workflow. Idempotent: a
 * file someone edited is kept unless `force`.
 */
export async function initRepository(request: InitRequest): Promise<InitResult> {
  const repo = await Repository.open(request.cwd);
  const root = repo.info.root;
  if (root === undefined) {
    throw new MirrorError('init-bare', 'mirror init needs a working tree; this repository is bare', {
      exitCode: ExitCode.usage,
      suggestions: ['run it in a clone of the repository'],
    });
  }
  const resolved = resolveInitOptions(request);
  if (!resolved.ok) {
    throw new MirrorError('init-usage', 'cannot set up this repository with these options', {
      exitCode: ExitCode.usage,
      details: resolved.problems.map((problem) => ({ field: problem.field, message: problem.message })),
      suggestions: ['see `mirror init --help`'],
    });
  }
  const options = resolved.options;
  const dryRun = request.dryRun === true;
  const force = request.force === true;
  const actions: InitAction[] = [];
  const notes: string[] = [];
  const status = (change: 'create' | 'update'): InitStatus => (dryRun ? `would-${change}` : change === 'create' ? 'created' : 'updated');

  // the upstream remote
  if (options.role === 'mirror') {
    const current = await fetchUrl(repo, UPSTREAM);
    const wanted = request.upstreamUrl?.trim();
    if (wanted === undefined && current === undefined) {
      throw new MirrorError('init-no-upstream', `this repository has no "${UPSTREAM}" remote: say where the public upstream is`, {
        exitCode: ExitCode.usage,
        suggestions: ['mirror init --upstream https://github.com/OWNER/PROJECT.git', 'or, in the public repository itself: mirror init --public'],
      });
    }
    if (wanted === undefined || wanted === current) {
      actions.push({ kind: 'remote', target: UPSTREAM, status: 'unchanged', detail: redactUrl(current!) });
    } else if (current === undefined) {
      if (!dryRun) await repo.git(['remote', 'add', '--', UPSTREAM, wanted]);
      actions.push({ kind: 'remote', target: UPSTREAM, status: status('create'), detail: redactUrl(wanted) });
    } else if (force) {
      if (!dryRun) await repo.git(['remote', 'set-url', '--', UPSTREAM, wanted]);
      actions.push({ kind: 'remote', target: UPSTREAM, status: status('update'), detail: `${redactUrl(current)} → ${redactUrl(wanted)}` });
    } else {
      actions.push({ kind: 'remote', target: UPSTREAM, status: 'kept', detail: `points at ${redactUrl(current)}, not ${redactUrl(wanted)} (--force to change it)` });
    }
    const effective = wanted !== undefined && (current === undefined || force) ? wanted : current!;
    const fetch = ciFetchUrl(effective);
    options.upstreamUrl = fetch.url;
    if (fetch.note) notes.push(fetch.note);
  } else if (options.forge === 'forgejo' && request.sarif) {
    notes.push('Forgejo has no code scanning to upload SARIF to: the guard workflow reports in its log and annotations only');
  }

  // the policy and the workflows
  for (const file of renderFiles(options)) {
    const full = join(root, file.path);
    const existing = readIfFile(full, file.path);
    const decision = decideFile(existing, file.content, { force });
    let action: InitAction;
    switch (decision.action) {
      case 'unchanged':
        action = { kind: file.kind, target: file.path, status: 'unchanged' };
        break;
      case 'keep':
        action = { kind: file.kind, target: file.path, status: 'kept', detail: 'differs from the template and was edited: kept (--force to replace it)' };
        break;
      case 'create':
      case 'update': {
        if (!dryRun) write(full, file.content);
        const detail = decision.action === 'update' ? (decision.reason === 'force' ? 'replaced (--force)' : 'written by an earlier mirror and not edited since: brought up to date') : undefined;
        action = { kind: file.kind, target: file.path, status: status(decision.action), ...(detail ? { detail } : {}), ...(dryRun ? { content: file.content } : {}) };
        break;
      }
    }
    actions.push(action);
    if (file.kind === 'policy') notes.push(...(await policyNotes(repo, options.role, full, dryRun && decision.action !== 'keep' && decision.action !== 'unchanged' ? file.content : undefined)));
  }

  // .gitignore: local secret files
  const gitignorePath = join(root, '.gitignore');
  const gitignore = planGitignore(readIfFile(gitignorePath, '.gitignore'));
  if (gitignore.action === 'unchanged') {
    actions.push({ kind: 'gitignore', target: '.gitignore', status: 'unchanged', detail: 'already ignores local secret files' });
  } else {
    if (!dryRun) write(gitignorePath, gitignore.content);
    actions.push({
      kind: 'gitignore',
      target: '.gitignore',
      status: status(gitignore.action),
      detail: `${gitignore.added.length} entr${gitignore.added.length === 1 ? 'y' : 'ies'} for local secret files; private/ and *.local.* stay tracked`,
      ...(dryRun ? { content: gitignore.content } : {}),
    });
  }

  // the hooks
  if (dryRun) {
    for (const hook of INIT_HOOKS) {
      const state = await hookState(repo, hook);
      const detail = state === 'foreign' ? 'the existing hook would be kept and called first' : undefined;
      const planned: InitStatus = state === 'current' ? 'unchanged' : state === 'outdated' ? 'would-update' : 'would-create';
      actions.push({ kind: 'hook', target: hook, status: planned, ...(detail ? { detail } : {}) });
    }
  } else {
    const installed = await installHooks({ cwd: root, hooks: [...INIT_HOOKS] });
    for (const hook of installed.hooks) {
      const mapped: InitStatus = hook.status === 'installed' ? 'created' : hook.status === 'updated' ? 'updated' : 'unchanged';
      actions.push({ kind: 'hook', target: hook.hook, status: mapped, ...(hook.chained ? { detail: `calls the earlier hook ${hook.chained} first` } : {}) });
    }
  }

  if (options.role === 'fleet' && !existsSync(join(root, FLEET_FILE))) {
    notes.push(`there is no ${FLEET_FILE} yet: write it (see the README's Fleets section), check it with \`mirror fleet check\`, and add the ${FLEET_TOKEN_SECRET} secret the workflows read`);
  }
  const kept = actions.filter((action) => action.status === 'kept');
  if (kept.length > 0) notes.push(`${kept.length} item${kept.length > 1 ? 's' : ''} kept as ${kept.length > 1 ? 'they differ' : 'it differs'} from what mirror would write: compare with \`mirror init --dry-run --force\``);
  return {
    role: options.role,
    forge: options.forge,
    actionRef: options.actionRef,
    root,
    dryRun,
    actions,
    changed: actions.some((action) => CHANGES.has(action.status)),
    notes,
  };
}

/** A remote's URL as configured (before `insteadOf` rewriting), or undefined when there is no such remote. */
async function fetchUrl(repo: Repository, remote: string): Promise<string | undefined> {
  const result = await repo.git(['config', '--get', `remote.${remote}.url`], { okCodes: [1] });
  const url = result.stdout.toString('utf8').trim();
  return url === '' ? undefined : url;
}

function readIfFile(full: string, shown: string): string | undefined {
  if (!existsSync(full)) return undefined;
  if (!statSync(full).isFile()) {
    throw new MirrorError('init-not-a-file', `${shown} exists and is not a file`, { exitCode: ExitCode.usage, suggestions: [`move ${shown} away, then run mirror init again`] });
  }
  return readFileSync(full, 'utf8');
}

function write(full: string, content: string): void {
  mkdirSync(dirname(full), { recursive: true });
  writeFileSync(full, content);
}

/** Whether the policy in force after init classes origin as the role expects. */
async function policyNotes(repo: Repository, role: InitRole, file: string, pending: string | undefined): Promise<string[]> {
  const text = pending ?? (existsSync(file) ? readFileSync(file, 'utf8') : undefined);
  if (text === undefined) return [];
  const result = await resolvePolicy(readDefaultPolicy(), { file, text });
  if (!result.ok) return [`${POLICY_PATH} is invalid (${result.errors[0]?.message ?? 'see mirror policy check'}): run \`mirror policy check\``];
  const origin = await classifyTarget(result.compiled.remotes, repo, ORIGIN);
  const notes: string[] = [];
  if (role === 'fleet' && origin.class !== 'private') notes.push(`${POLICY_PATH} does not class origin as private (${origin.reason}): \`mirror fleet\` refuses to run in this checkout`);
  if (role === 'mirror' && origin.class !== 'private') notes.push(`${POLICY_PATH} does not class origin as private (${origin.reason}): pushes of private files to the mirror would be refused`);
  if (role === 'public' && origin.class !== 'public') notes.push(`${POLICY_PATH} classes origin as private (${origin.reason}), but this is the public repository`);
  if (role === 'mirror') {
    const upstream = classifyRemote(result.compiled.remotes, UPSTREAM, await fetchUrl(repo, UPSTREAM));
    if (upstream.class !== 'public') notes.push(`${POLICY_PATH} classes upstream as private (${upstream.reason}): private files could be pushed to the public project`);
  }
  return notes;
}
