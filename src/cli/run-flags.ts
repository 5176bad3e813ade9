import { Args, Flags } from '@oclif/core';
import { ExitCode, MirrorError } from '../errors.js';

/** The flags every `mirror run` command shares: which remote, which forge. */
export const runConnectionFlags = {
  remote: Flags.string({ summary: 'The remote whose forge runs the workflow (the private mirror).', default: 'origin' }),
  forge: Flags.string({ summary: 'Which forge the remote is on (default: from the URL and the environment).', options: ['github', 'forgejo'] }),
  'api-url': Flags.string({ summary: 'Forge API base URL (default: GITHUB_API_URL, else derived from the remote).' }),
  cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
};

export const batchFlags = {
  all: Flags.boolean({ summary: 'Act on the latest batch dispatched with --matrix.' }),
  batch: Flags.string({ summary: 'Act on this recorded batch (its id) instead of the latest.' }),
};

export const runIdsArg = { ids: Args.string({ description: 'run ids', required: false }) };

export function connectionOf(flags: { remote: string; forge?: string; 'api-url'?: string; cwd?: string }) {
  return {
    cwd: flags.cwd ?? process.cwd(),
    remote: flags.remote,
    ...(flags.forge ? { forge: flags.forge as 'github' | 'forgejo' } : {}),
    ...(flags['api-url'] ? { apiUrl: flags['api-url'] } : {}),
  };
}

/** Run ids from the arguments (oclif's strict: false leaves them in argv). */
export function runIds(argv: readonly unknown[], needed: boolean, batch: boolean): number[] {
  const ids = argv.map(String).map((value) => {
    if (!/^\d+$/.test(value)) throw new MirrorError('run-bad-id', `not a run id: ${value}`, { exitCode: ExitCode.usage });
    return Number(value);
  });
  if (needed && ids.length === 0 && !batch) throw new MirrorError('run-no-id', 'give a run id (or --all for the latest batch)', { exitCode: ExitCode.usage });
  return ids;
}

/** `90`, `90s`, `15m`, `2h`, `500ms` → milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) throw new MirrorError('run-bad-duration', `not a duration: ${text} (use e.g. 90s, 15m, 2h)`, { exitCode: ExitCode.usage });
  const scale = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'];
  return Math.round(Number(match[1]) * scale);
}

/** Poll interval override for tests and impatient users (never below 100 ms). */
export function pollIntervalMs(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const value = Number(env.MIRROR_RUN_POLL_MS);
  return Number.isFinite(value) && value > 0 ? Math.max(100, value) : undefined;
}
