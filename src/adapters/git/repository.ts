import { isAbsolute, resolve } from 'node:path';
import { ExitCode, MirrorError } from '../../errors.js';
import { RAW_LOG_ARGS, RawLogParser, type CommitRecord, type RawEntry } from './log-format.js';
import { redactCredentials } from '../../core/redact.js';
import type { RemoteUrls } from '../../core/remotes.js';
import { ObjectReader } from './object-reader.js';
import { gitText, runGit, streamGit } from './process.js';
import { parseRemoteVerbose } from './remote-verbose.js';

/**
 * The commits and objects a check covers, in git's terms: reachable from
 * `include`, not reachable from `exclude` nor from the named remote's tracking refs.
 */
export interface RevisionScope {
  include: string[];
  exclude: string[];
  /** also exclude `refs/remotes/<name>/*`: what we know the remote already has */
  excludeRemote?: string;
  /** every ref (`--all`) instead of `include` */
  all?: boolean;
}

export interface RepositoryInfo {
  /** the work tree's top level; undefined in a bare repository */
  root: string | undefined;
  gitDir: string;
  commonDir: string;
  bare: boolean;
  shallow: boolean;
}

const OID = /^([0-9a-f]{40}|[0-9a-f]{64})$/;
const REMOTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;

export function scopeArgs(scope: RevisionScope): string[] {
  for (const oid of [...scope.include, ...scope.exclude]) {
    if (!OID.test(oid)) throw new Error(`not an object id: ${oid}`);
  }
  const args = scope.all ? ['--all'] : [...scope.include];
  if (scope.exclude.length > 0 || scope.excludeRemote) {
    args.push('--not', ...scope.exclude);
    if (scope.excludeRemote && REMOTE_NAME.test(scope.excludeRemote)) args.push(`--remotes=${scope.excludeRemote}`);
  }
  return args;
}

export class Repository {
  private constructor(
    readonly cwd: string,
    readonly info: RepositoryInfo,
  ) {}

  static async open(cwd: string): Promise<Repository> {
    let lines: string[];
    try {
      lines = (
        await gitText(
          ['rev-parse', '--path-format=absolute', '--git-dir', '--git-common-dir', '--is-bare-repository', '--is-shallow-repository', '--show-toplevel'],
          { cwd },
        )
      ).split('\n');
    } catch (error) {
      if (error instanceof MirrorError && error.code === 'git-failed') {
        throw new MirrorError('not-a-repository', `not inside a git repository: ${cwd}`, {
          exitCode: ExitCode.usage,
          suggestions: ['run mirror from inside a clone, or pass --cwd'],
        });
      }
      throw error;
    }
    const [gitDir, commonDir, bare, shallow, top] = lines;
    const absolute = (path: string) => (isAbsolute(path) ? path : resolve(cwd, path));
    return new Repository(cwd, {
      gitDir: absolute(gitDir!),
      commonDir: absolute(commonDir!),
      bare: bare === 'true',
      shallow: shallow === 'true',
      root: top ? absolute(top) : undefined,
    });
  }

  git(args: readonly string[], options: { input?: string; okCodes?: number[]; env?: NodeJS.ProcessEnv } = {}) {
    return runGit(args, { cwd: this.cwd, ...options });
  }

  text(args: readonly string[], options: { input?: string; okCodes?: number[]; env?: NodeJS.ProcessEnv } = {}) {
    return gitText(args, { cwd: this.cwd, ...options });
  }

  /** The URL git pushes to for a remote, or undefined when there is no such remote. */
  async pushUrl(remote: string): Promise<string | undefined> {
    const result = await this.git(['remote', 'get-url', '--push', '--', remote], { okCodes: [2, 128] });
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /**
   * Fetches a remote. A remote that is not configured, unreachable or refusing is a
   * usage error that names it and its URL (credentials removed), not a crash: a
   * fetch changes nothing in the checkout, so the caller can stop cleanly.
   */
  async fetch(remote: string): Promise<void> {
    const got = await this.git(['remote', 'get-url', '--', remote], { okCodes: [2, 128] });
    if (got.code !== 0) {
      throw new MirrorError('no-such-remote', `there is no remote named "${remote}" to fetch from; nothing changed`, {
        exitCode: ExitCode.usage,
        suggestions: [`git remote add ${remote} <url>, or name another remote in .mirror/policy.yml (sync.upstreamRemote)`],
      });
    }
    const url = redactCredentials(got.stdout.toString('utf8').trim());
    const result = await this.git(['fetch', '--quiet', '--no-write-fetch-head', '--', remote], { okCodes: [1, 128], env: { GIT_TERMINAL_PROMPT: '0' } });
    if (result.code === 0) return;
    const lines = redactCredentials(result.stderr)
      .split('\n')
      .map((line) => line.trim())
      .filter(Boolean);
    const fatal = lines.filter((line) => /^(?:fatal|error):/.test(line)).map((line) => line.replace(/^(?:fatal|error):\s*/, ''));
    const reason = (fatal.length ? fatal : lines).slice(0, 2).join('; ');
    throw new MirrorError('fetch-failed', `git fetch ${remote} (${url}) failed${reason ? `: ${reason}` : ''}; nothing changed`, {
      exitCode: ExitCode.usage,
      suggestions: [`check the URL (git remote get-url ${remote}), the network and your credentials, then run the command again`],
    });
  }

  /** Every remote's effective fetch and push URLs, in one git call. */
  async remoteUrls(): Promise<RemoteUrls[]> {
    return parseRemoteVerbose(await this.text(['remote', '-v']));
  }

  async remotes(): Promise<string[]> {
    return (await this.text(['remote'])).split('\n').filter(Boolean);
  }

  /** The commit a revision names, or undefined when it names none. */
  async commitOf(revision: string): Promise<string | undefined> {
    const result = await this.git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
      okCodes: [1, 128],
    });
    return result.code === 0 ? result.stdout.toString('utf8').trim() : undefined;
  }

  /** The checked-out branch's short name, or undefined on a detached HEAD. */
  async currentBranch(): Promise<string | undefined> {
    const result = await this.git(['symbolic-ref', '--quiet', '--short', 'HEAD'], { okCodes: [1] });
    return result.stdout.toString('utf8').trim() || undefined;
  }

  /** The best common ancestor of two commits, or undefined when they share none (or history is cut). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await this.git(['merge-base', a, b], { okCodes: [1] });
    return result.stdout.toString('utf8').trim() || undefined;
  }

  async isAncestor(ancestor: string, of: string): Promise<boolean> {
    return (await this.git(['merge-base', '--is-ancestor', ancestor, of], { okCodes: [1] })).code === 0;
  }

  /** Commits only on `a`, and only on `b`. */
  async aheadBehind(a: string, b: string): Promise<{ ahead: number; behind: number }> {
    const [ahead, behind] = (await this.text(['rev-list', '--left-right', '--count', `${a}...${b}`])).split(/\s+/).map(Number);
    return { ahead: ahead!, behind: behind! };
  }

  /** Branch tips under a ref prefix (`refs/remotes/origin/`), symbolic refs (origin/HEAD) left out. */
  async refsUnder(prefix: string): Promise<{ name: string; oid: string }[]> {
    const out = await this.text(['for-each-ref', '--format=%(refname) %(objectname) %(symref)', prefix]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' '))
      .filter(([, , symref]) => !symref)
      .map(([ref, oid]) => ({ name: ref!.slice(prefix.length), oid: oid! }));
  }

  /**
   * Every commit of the scope with its changed entries, oldest first, streamed.
   * A merge appears once per parent (its diff against each), so content that only
   * exists in a merge result is seen.
   */
  async *commits(scope: RevisionScope, options: { renames?: boolean; noMerges?: boolean; mergesOnly?: boolean } = {}): AsyncGenerator<CommitRecord> {
    const parser = new RawLogParser();
    const args = [
      'log',
      ...RAW_LOG_ARGS,
      ...(options.renames ? ['--find-renames', '--find-copies'] : ['--no-renames']),
      ...(options.noMerges ? ['--no-merges'] : []),
      // a merge once, against its first parent: what it brings to the branch it lands on (the last --diff-merges wins)
      ...(options.mergesOnly ? ['--merges', '--diff-merges=first-parent'] : []),
      '--topo-order',
      '--reverse',
      ...scopeArgs(scope),
      '--',
    ];
    for await (const chunk of streamGit(args, { cwd: this.cwd })) yield* parser.push(chunk);
    yield* parser.end();
  }

  /** Ids of the blobs (and commits) the scope reaches that its exclusions do not. */
  async newObjects(scope: RevisionScope): Promise<Set<string>> {
    const ids = new Set<string>();
    let rest = '';
    const args = ['rev-list', '--objects', '--no-object-names', '--filter=object:type=blob', ...scopeArgs(scope), '--'];
    for await (const chunk of streamGit(args, { cwd: this.cwd })) {
      const lines = (rest + chunk.toString('latin1')).split('\n');
      rest = lines.pop()!;
      for (const line of lines) if (line) ids.add(line);
    }
    if (rest) ids.add(rest);
    return ids;
  }

  /** The index against HEAD (or against nothing before the first commit). */
  async stagedEntries(): Promise<RawEntry[]> {
    const parser = new RawLogParser();
    const head = await this.commitOf('HEAD');
    const base = head ?? (await this.text(['hash-object', '-t', 'tree', '--stdin'], { input: '' }));
    const out = await this.git(['diff-index', '--cached', '-z', '--raw', '--no-renames', '--no-abbrev', '--ignore-submodules=none', '--no-relative', base, '--']);
    const records = [...parser.push(Buffer.concat([Buffer.from('\x01staged\x02\0'), out.stdout])), ...parser.end()];
    return records.flatMap((record) => record.entries);
  }

  /** path → `<mode> <oid>` for every entry of a tree, recursively. */
  async treeEntries(treeish: string): Promise<Map<string, string>> {
    const out = (await this.git(['ls-tree', '-r', '-z', '--full-tree', treeish])).stdout.toString('utf8');
    const entries = new Map<string, string>();
    for (const record of out.split('\0')) {
      const tab = record.indexOf('\t');
      if (tab === -1) continue;
      const [mode, , oid] = record.slice(0, tab).split(' ');
      entries.set(record.slice(tab + 1), `${mode} ${oid}`);
    }
    return entries;
  }

  objects(): ObjectReader {
    return new ObjectReader(this.cwd);
  }
}
