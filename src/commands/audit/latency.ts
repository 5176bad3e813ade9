import { Flags } from '@oclif/core';
import type { LatencyReport } from '../../app/audit/latency.js';
import { MirrorCommand } from '../../cli/base.js';

export default class AuditLatency extends MirrorCommand {
  static override summary = 'Measure CI queue time per runner lane and trust class, and what an external lane would change.';
  static override description =
    'Reads the workflow runs and jobs of the window (--since, --limit) through the forge API (a token with Actions read is enough) and reports, per lane (the runs-on labels as a runner matches them) and per trust class (from `mirror audit workflows`): jobs, queue time (created_at → started_at; when a job reports started_at equal to created_at, its first step\'s start, said in a note), run time, p50/p95/max, and the share of wall time spent queued. The what-if replays the measured arrivals against one runner per lane with the external-safe jobs moved to an external lane with pickup --pickup seconds.';
  static override examples = ['<%= config.bin %> audit latency --since 14d', '<%= config.bin %> audit latency --since 30d --limit 500 --format markdown', '<%= config.bin %> audit latency --json --repo https://codeberg.org/acme/app'];
  static override enableJsonFlag = true;
  static override flags = {
    since: Flags.string({ summary: 'Window start: 14d, 36h, 90m or a date.', default: '14d' }),
    limit: Flags.integer({ summary: 'At most this many runs, newest first.', default: 300 }),
    pickup: Flags.integer({ summary: "The external lane's pickup delay in seconds (what-if).", default: 10 }),
    repo: Flags.string({ summary: 'Remote name or repository URL to read runs from.', default: 'origin' }),
    forge: Flags.string({ summary: 'Which forge (default: from the URL).', options: ['github', 'forgejo'] }),
    'api-url': Flags.string({ summary: 'Forge API base URL.' }),
    format: Flags.string({ char: 'f', summary: 'Output format (--json for JSON).', options: ['table', 'markdown'], default: 'table' }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run(): Promise<LatencyReport> {
    const { flags } = await this.parse(AuditLatency);
    const { measureLatency } = await import('../../app/audit/latency.js');
    const { renderLatency } = await import('../../report/latency.js');
    const { report } = await measureLatency({
      cwd: flags.cwd ?? process.cwd(),
      repo: flags.repo,
      since: flags.since,
      limit: flags.limit,
      pickup: flags.pickup,
      ...(flags.forge ? { forge: flags.forge as 'github' | 'forgejo' } : {}),
      ...(flags['api-url'] ? { apiUrl: flags['api-url'] } : {}),
      onProgress: progress(),
    });
    if (!this.jsonEnabled()) process.stdout.write(renderLatency(report, flags.format as 'table' | 'markdown'));
    return report;
  }
}

/** Progress on stderr, only for a person watching (a terminal), at most every 10 runs' jobs. */
export function progress(): ((p: { runs: number; jobsOf: number }) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  return ({ runs, jobsOf }) => {
    if (jobsOf === 0 || jobsOf % 10 === 0 || jobsOf === runs) process.stderr.write(`\rmirror: ${runs} runs listed, jobs of ${jobsOf} read${jobsOf === runs && jobsOf > 0 ? '\n' : ''}`);
  };
}
