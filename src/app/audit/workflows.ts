import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { auditWorkflows, referencedScripts, type WorkflowSource } from '../../core/audit/classify.js';
import type { AuditOptions, AuditResult, Platform } from '../../core/audit/types.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { loadPolicy, readRepositoryPolicy } from '../../policy/load.js';

/** Where each forge looks for workflows, relative to the repository root. */
export const WORKFLOW_DIRECTORIES: readonly { dir: string; platform: Platform }[] = [
  { dir: '.github/workflows', platform: 'github' },
  { dir: '.forgejo/workflows', platform: 'forgejo' },
  { dir: '.gitea/workflows', platform: 'gitea' },
];

/** Workflow files larger than this are reported as invalid rather than parsed. */
const MAX_WORKFLOW_BYTES = 1024 * 1024;

/**
 * Finds the workflow files of the repository containing `cwd` (or of `cwd` itself
 * outside a repository), reads them, and classifies them. Files that cannot be read
 * are reported as invalid, never skipped.
 */
export interface AuditRequest {
  cwd: string;
  /** from `--visibility` or the forge: a public repository's self-hosted labels are flagged */
  visibility?: 'public' | 'private';
  /** the external lane's label (`--lane-label`) */
  laneLabel?: string;
  /** `lanes.hardwareLabels` / `lanes.placementLabels` from the policy (the caller loads it) */
  hardwareLabels?: readonly string[];
  placementLabels?: readonly string[];
}

/** Repository scripts larger than this are not read (a step is then judged by its `run:` alone). */
const MAX_SCRIPT_BYTES = 256 * 1024;

export async function auditRepositoryWorkflows(request: AuditRequest): Promise<AuditResult> {
  const { sources, options } = await readRepositoryWorkflows(request);
  return auditWorkflows(sources, options);
}

/** The workflow files and what the audit needs beyond them (scripts, the policy's lanes), for the audit and the pilot. */
export async function readRepositoryWorkflows(request: AuditRequest): Promise<{ sources: WorkflowSource[]; options: AuditOptions }> {
  const cwd = resolve(request.cwd);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new MirrorError('no-such-directory', `not a directory: ${request.cwd}`, { exitCode: ExitCode.usage, suggestions: ['pass an existing directory to -C/--cwd'] });
  }
  const notes: string[] = [];
  const repo = await Repository.open(cwd).catch(() => undefined);
  let root = repo?.info.root;
  if (root === undefined) {
    root = cwd;
    notes.push(repo ? 'a bare repository has no work tree: looked for workflows in the directory itself' : 'not inside a git repository: looked for workflows in the directory itself');
  }

  const directories: string[] = [];
  const sources: WorkflowSource[] = [];
  for (const { dir, platform } of WORKFLOW_DIRECTORIES) {
    const path = join(root, dir);
    if (!isDirectory(path)) continue;
    directories.push(dir);
    for (const name of readdirSync(path).sort()) {
      if (!/\.ya?ml$/i.test(name)) continue;
      const file = `${dir}/${name}`;
      const full = join(path, name);
      try {
        const stat = statSync(full);
        if (!stat.isFile()) continue;
        if (stat.size > MAX_WORKFLOW_BYTES) {
          sources.push({ file, platform, text: '', readError: `larger than ${MAX_WORKFLOW_BYTES} bytes: not parsed` });
          continue;
        }
        sources.push({ file, platform, text: readFileSync(full, 'utf8') });
      } catch (error) {
        sources.push({ file, platform, text: '', readError: `cannot be read: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
  }
  if (directories.includes('.forgejo/workflows') && directories.includes('.github/workflows')) {
    notes.push('Forgejo runs .forgejo/workflows and ignores .github/workflows when both exist; GitHub only runs .github/workflows');
  } else if (directories.includes('.gitea/workflows') && directories.includes('.github/workflows')) {
    notes.push('Gitea runs .gitea/workflows and ignores .github/workflows when both exist; GitHub only runs .github/workflows');
  }

  const scripts = readScripts(root, referencedScripts(sources));
  const lanes = await policyLanes(root);
  const options: AuditOptions = {
    root,
    directories,
    notes,
    scripts,
    ...(request.visibility ? { visibility: request.visibility } : {}),
    ...(request.laneLabel ?? lanes?.laneLabel ? { laneLabel: (request.laneLabel ?? lanes?.laneLabel)! } : {}),
    hardwareLabels: request.hardwareLabels ?? lanes?.hardwareLabels ?? [],
    placementLabels: request.placementLabels ?? lanes?.placementLabels ?? [],
  };
  return { sources, options };
}

/** The repository policy's `lanes` section; only a repository with `.mirror/policy.yml` pays for loading it. */
export async function policyLanes(root: string): Promise<{ hardwareLabels: string[]; placementLabels: string[]; laneLabel?: string; prices?: string } | undefined> {
  const own = readRepositoryPolicy(root);
  if (own === undefined) return undefined;
  const loaded = await loadPolicy({ repository: own });
  return loaded.compiled.lanes;
}

/** Reads the scripts steps call, inside the root only; a missing or unreadable one is simply not looked into. */
function readScripts(root: string, paths: string[]): Record<string, string> {
  const scripts: Record<string, string> = {};
  const base = resolve(root);
  for (const path of paths) {
    const full = resolve(base, path);
    if (!full.startsWith(base + sep)) continue;
    try {
      const stat = statSync(full);
      if (stat.isFile() && stat.size <= MAX_SCRIPT_BYTES) scripts[path] = readFileSync(full, 'utf8');
    } catch {
      // not there (generated at run time, or another checkout): judged by the step alone
    }
  }
  return scripts;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
