import { Flags } from '@oclif/core';
import type { LanesRecord } from '../../app/audit/lanes.js';
import { MirrorCommand } from '../../cli/base.js';
import { latencyFlags, latencyRequest } from '../../cli/latency-flags.js';
import { ExitCode, MirrorError } from '../../errors.js';
import { progress } from './latency.js';

function until(text: string): Date {
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new MirrorError('bad-until', `cannot read --until ${text}`, { exitCode: ExitCode.usage, suggestions: ['use a date such as 2026-12-01T00:00:00Z'] });
  return date;
}

export default class AuditLanes extends MirrorCommand {
  static override summary = 'Decide the burst-lane question: audit, queue baseline, what-if, cost and burden, and a go/no-go record.';
  static override description =
    'Runs `mirror audit workflows`, the latency baseline and the what-if of `mirror audit latency` over one window, prices the moving jobs on each runner shape of the price book (policies/lane-prices.yml or --prices), adds the operational burden, and writes the decision record. Go when the what-if lowers the p95 queue of the external-safe jobs by at least --min-saving seconds and the cheapest shape that adds capacity costs at most --budget per month. Never registers a runner, never spends, never fetches prices; comments only with --post (issue write permission).';
  static override examples = ['<%= config.bin %> audit lanes --since 14d', '<%= config.bin %> audit lanes --format markdown --budget 20', '<%= config.bin %> audit lanes --post 42'];
  static override enableJsonFlag = true;
  static override flags = {
    ...latencyFlags,
    until: Flags.string({ summary: 'Window end (a date; default now): a record that can be reproduced.' }),
    'min-saving': Flags.integer({ summary: 'Seconds the p95 queue of the moving jobs must fall by for a go.', default: 60 }),
    budget: Flags.string({ summary: 'Most the cheapest adequate shape may cost per month (price book currency).', default: '50' }),
    prices: Flags.string({ summary: 'A price book in the shape of policies/lane-prices.yml.' }),
    post: Flags.integer({ summary: 'Comment the record (markdown) on this issue number.' }),
    'lane-label': Flags.string({ summary: "The external lane's runs-on label, for the pilot shown on a go (default: lanes.laneLabel)." }),
  };

  async run(): Promise<LanesRecord> {
    const { flags } = await this.parse(AuditLanes);
    const { decideLanes } = await import('../../app/audit/lanes.js');
    const { renderLanes } = await import('../../report/lanes.js');
    const record = await decideLanes(
      {
        ...latencyRequest(flags),
        ...(flags.until ? { now: until(flags.until) } : {}),
        minSaving: flags['min-saving'],
        budget: Number(flags.budget),
        ...(flags.prices ? { pricesFile: flags.prices } : {}),
        ...(flags.post !== undefined ? { post: flags.post } : {}),
        onProgress: progress(),
        // on a go, the pilot of `mirror audit workflows --pilot` (dry run: the record shows its diff, writes nothing)
        pilot: async () => {
          const { pilotRepositoryWorkflows } = await import('../../app/audit/pilot.js');
          const { describeCandidate } = await import('../../report/pilot.js');
          const cwd = flags.cwd ?? process.cwd();
          const plan = await pilotRepositoryWorkflows({ cwd, write: false, ...(flags['lane-label'] ? { laneLabel: flags['lane-label'] } : {}) }).catch(() => undefined);
          return plan?.status === 'ready' ? { plan: `pilot ${describeCandidate(plan)} (write it with \`mirror audit workflows --pilot --job ${plan.candidate!.file}:${plan.candidate!.job} --lane-label ${plan.laneLabel} --write\`)`, diff: plan.diff, rollback: plan.rollback } : undefined;
        },
      },
      (record) => renderLanes(record, 'markdown'),
    );
    if (!this.jsonEnabled()) process.stdout.write(renderLanes(record, flags.format as 'table' | 'markdown'));
    return record;
  }
}
