import { lstat, readdir, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { emptyStats, type GuardReport, type Location } from '../../core/guard/types.js';
import { isBinary } from '../../core/text.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { checksFor, preparePolicy, type GuardOptions } from '../guard/context.js';
import { Findings } from '../guard/findings.js';
import { Latin1Text } from '../guard/latin1-text.js';
import { redactReport } from '../../core/redact.js';

export interface FilesRequest extends GuardOptions {
  cwd: string;
  paths: string[];
}

/** Directories that are never source: their own tools manage them. */
const PRUNED = new Set(['.git', 'node_modules', '.hg', '.svn']);

/**
 * `mirror scan [PATH...]`: files on disk, secrets only. Paths in reports are
 * relative to the repository root when inside one (so SARIF matches the
 * repository), else to the current directory.
 */
export async function scanFiles(request: FilesRequest): Promise<GuardReport> {
  const repo = await Repository.open(request.cwd).catch(() => undefined);
  const root = repo?.info.root ?? resolve(request.cwd);
  const prepared = await preparePolicy(repo, request, repo?.info.root);
  const checks = checksFor(prepared, 'private');
  const stats = emptyStats();
  const found = new Findings(checks.findings);
  const files: string[] = [];
  for (const path of request.paths.length ? request.paths : ['.']) {
    const absolute = resolve(request.cwd, path);
    const info = await lstat(absolute).catch(() => undefined);
    if (!info) throw new MirrorError('path-not-found', `no such file or directory: ${path}`, { exitCode: ExitCode.usage });
    if (info.isDirectory()) await walk(absolute, files);
    else if (info.isFile()) files.push(absolute);
  }
  for (const file of files) {
    const rel = toRepoPath(root, file);
    const location: Location = { kind: 'file', path: rel };
    const info = await lstat(file);
    stats.files++;
    if (info.size > checks.limits.maxFileBytes) {
      stats.oversizeSkipped++;
      found.oversize(location, info.size, checks.limits);
      continue;
    }
    const data = await readFile(file);
    stats.bytes += data.length;
    if (isBinary(data)) {
      stats.binarySkipped++;
      continue;
    }
    found.secrets(location, checks.scanner.scan(new Latin1Text(data), { kind: 'content', path: rel }, { latin1Bytes: data }));
  }
  return redactReport({
    target: { description: `files (${request.paths.length ? request.paths.join(', ') : '.'})`, remoteClass: 'private' },
    stats,
    violations: found.violations,
    notices: found.notices,
    policy: checks.policy,
    root,
  }, checks.redaction);
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!PRUNED.has(entry.name)) await walk(path, out);
    } else if (entry.isFile()) {
      out.push(path);
    }
  }
}

function toRepoPath(root: string, file: string): string {
  const rel = relative(root, file);
  const shown = rel === '' || rel.startsWith('..') || isAbsolute(rel) ? file : rel;
  return shown.split(sep).join('/');
}
