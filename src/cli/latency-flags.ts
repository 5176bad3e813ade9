import { Flags } from '@oclif/core';

/** The window and forge access `mirror audit latency` and `mirror audit lanes` share. */
export const latencyFlags = {
  since: Flags.string({ summary: 'Window start: 14d, 36h, 90m or a date.', default: '14d' }),
  limit: Flags.integer({ summary: 'At most this many runs, newest first.', default: 300 }),
  pickup: Flags.integer({ summary: "The external lane's pickup delay in seconds (what-if).", default: 10 }),
  repo: Flags.string({ summary: 'Remote name or repository URL to read runs from.', default: 'origin' }),
  forge: Flags.string({ summary: 'Which forge (default: from the URL).', options: ['github', 'forgejo'] }),
  'api-url': Flags.string({ summary: 'Forge API base URL.' }),
  format: Flags.string({ char: 'f', summary: 'Output format (--json for JSON).', options: ['table', 'markdown'], default: 'table' }),
  cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
};

/** Those flags as the latency request's fields. */
export function latencyRequest(flags: { cwd?: string; repo: string; since: string; limit: number; pickup: number; forge?: string; 'api-url'?: string }) {
  return {
    cwd: flags.cwd ?? process.cwd(),
    repo: flags.repo,
    since: flags.since,
    limit: flags.limit,
    pickup: flags.pickup,
    ...(flags.forge ? { forge: flags.forge as 'github' | 'forgejo' } : {}),
    ...(flags['api-url'] ? { apiUrl: flags['api-url'] } : {}),
  };
}
