import type { LatencyReport } from '../../app/audit/latency.js';
import { MirrorCommand } from '../../cli/base.js';
import { latencyFlags, latencyRequest } from '../../cli/latency-flags.js';

export default class AuditLatency extends MirrorCommand {
  static override summary = 'Measure CI queue time per runner lane and trust class, and what an external lane would change.';
  static override description =
    'Reads the workflow runs and jobs of the window (--since, --limit) through the forge API (a token with Actions read is enough) and reports, per lane (the runs-on labels as a runner matches them) and per trust class (from `mirror audit workflows`): jobs, queue time (created_at → started_at; when a job reports started_at equal to created_at, its first step\'s start, said in a note), run time, p50/p95/max, and the share of wall time spent queued. The what-if replays the measured arrivals against one runner per lane with the external-safe jobs moved to an external lane with pickup --pickup seconds.';
  static override examples = ['<%= config.bin %> audit latency --since 14d', '<%= config.bin %> audit latency --since 30d --limit 500 --format markdown', '<%= config.bin %> audit latency --json --repo https://codeberg.org/acme/app'];
  static override enableJsonFlag = true;
  static override flags = latencyFlags;

  async run(): Promise<LatencyReport> {
    const { flags } = await this.parse(AuditLatency);
    const { measureLatency } = await import('../../app/audit/latency.js');
    const { renderLatency } = await import('../../report/latency.js');
    const { report } = await measureLatency({
      ...latencyRequest(flags),
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
