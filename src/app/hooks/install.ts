import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Repository } from '../../adapters/git/repository.js';
import { CHAINED_SUFFIX, hookScript, isMirrorHook, type HookName } from '../../core/hooks/script.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { packageRoot } from '../../paths.js';

export interface HookResult {
  hook: HookName;
  path: string;
  status: 'installed' | 'updated' | 'unchanged' | 'removed' | 'absent';
  /** an existing hook now called before mirror's (or restored on uninstall) */
  chained?: string;
}

export const mirrorRuntime = () => ({ node: process.execPath, bin: join(packageRoot, 'bin', 'run.js') });

/** Where git runs hooks from: `core.hooksPath` (husky, lefthook…) when set. */
export async function hooksDirectory(repo: Repository): Promise<string> {
  return repo.text(['rev-parse', '--path-format=absolute', '--git-path', 'hooks']);
}

export async function installHooks(request: { cwd: string; hooks: HookName[] }): Promise<{ directory: string; hooks: HookResult[] }> {
  const repo = await Repository.open(request.cwd);
  const directory = await hooksDirectory(repo);
  mkdirSync(directory, { recursive: true });
  const hooks = request.hooks.map((hook) => installOne(directory, hook));
  return { directory, hooks };
}

function installOne(directory: string, hook: HookName): HookResult {
  const path = join(directory, hook);
  const script = hookScript(hook, mirrorRuntime());
  const existing = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (existing === script) return { hook, path, status: 'unchanged', ...chainedOf(path) };
  let chained: string | undefined;
  if (existing !== undefined && !isMirrorHook(existing)) {
    chained = `${path}${CHAINED_SUFFIX}`;
    if (existsSync(chained)) {
      throw new MirrorError('hook-conflict', `both ${path} and ${chained} exist and neither is mirror's`, {
        exitCode: ExitCode.usage,
        suggestions: [`merge them by hand, then run mirror hook install again`],
      });
    }
    renameSync(path, chained);
  }
  writeFileSync(path, script);
  chmodSync(path, 0o755);
  return { hook, path, status: existing === undefined || chained ? 'installed' : 'updated', ...(chained ? { chained } : chainedOf(path)) };
}

function chainedOf(path: string): { chained?: string } {
  const chained = `${path}${CHAINED_SUFFIX}`;
  return existsSync(chained) ? { chained } : {};
}

export async function uninstallHooks(request: { cwd: string; hooks: HookName[] }): Promise<{ directory: string; hooks: HookResult[] }> {
  const repo = await Repository.open(request.cwd);
  const directory = await hooksDirectory(repo);
  const hooks = request.hooks.map((hook): HookResult => {
    const path = join(directory, hook);
    if (!existsSync(path) || !isMirrorHook(readFileSync(path, 'utf8'))) return { hook, path, status: 'absent' };
    rmSync(path);
    const chained = `${path}${CHAINED_SUFFIX}`;
    if (existsSync(chained)) {
      renameSync(chained, path);
      return { hook, path, status: 'removed', chained: path };
    }
    return { hook, path, status: 'removed' };
  });
  return { directory, hooks };
}

/** For doctor: is the hook there, and is it what this version would write? */
export async function hookState(repo: Repository, hook: HookName): Promise<'current' | 'outdated' | 'missing' | 'foreign'> {
  const path = join(await hooksDirectory(repo), hook);
  if (!existsSync(path)) return 'missing';
  const text = readFileSync(path, 'utf8');
  if (!isMirrorHook(text)) return 'foreign';
  return text === hookScript(hook, mirrorRuntime()) ? 'current' : 'outdated';
}
