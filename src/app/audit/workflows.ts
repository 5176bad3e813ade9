import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { auditWorkflows, type WorkflowSource } from '../../core/audit/classify.js';
import type { AuditResult, Platform } from '../../core/audit/types.js';
import { ExitCode, MirrorError } from '../../errors.js';

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
export async function auditRepositoryWorkflows(request: { cwd: string }): Promise<AuditResult> {
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

  return auditWorkflows(sources, { root, directories, notes });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
