import { Flags } from '@oclif/core';
import type { FleetSyncDown as FleetSyncDownResult } from '../../app/fleet/sync-down.js';
import { MirrorCommand } from '../../cli/base.js';
import { fleetFlags } from '../../cli/fleet-flags.js';
import { parseDuration, pollIntervalMs } from '../../cli/run-flags.js';
import { ExitCode } from '../../errors.js';

export default class FleetSyncDown extends MirrorCommand {
  static override summary = "Bring every mirror up to date with the upstream: dispatch each mirror's sync-down workflow and watch the runs (or --local).";
  static override description =
    "Dispatches each mirror's mirror-sync-down workflow on its forge and follows all the runs in one polite poll loop, then reports per mirror: merged, up to date, pull request opened, conflict (with the files), failed or unreachable. With --local, runs `mirror sync-down` in a working clone of each mirror here instead (--jobs at a time). Exit 1 when any mirror was not merged, up to date or proposed; 2 on a bad fleet file or a public checkout.";
  static override examples = ['<%= config.bin %> fleet sync-down --label eu', '<%= config.bin %> fleet sync-down --local --jobs 8'];
  static override enableJsonFlag = true;
  static override flags = {
    ...fleetFlags,
    jobs: Flags.integer({ char: 'j', summary: 'Mirrors dispatched (or, with --local, synced) at once.', default: 4, min: 1, max: 64 }),
    label: Flags.string({ char: 'l', summary: 'Only mirrors with this label (repeat: all of them).', multiple: true }),
    local: Flags.boolean({ summary: 'Run sync-down in working clones here instead of dispatching the mirrors\' workflows.' }),
    clones: Flags.string({ summary: 'With --local: the folder of working clones; default .git/mirror/fleet-clones of this checkout.' }),
    timeout: Flags.string({ summary: 'Stop watching the runs after this long (e.g. 90s, 30m, 2h); unfinished runs are reported failed.', default: '30m' }),
  };

  async run(): Promise<FleetSyncDownResult> {
    const { flags } = await this.parse(FleetSyncDown);
    const { fleetSyncDown } = await import('../../app/fleet/sync-down.js');
    const { renderFleetSyncText } = await import('../../report/fleet-sync.js');
    const interval = pollIntervalMs();
    const report = await fleetSyncDown({
      cwd: flags.cwd ?? process.cwd(),
      file: flags.file,
      policyFile: flags.policy,
      jobs: flags.jobs,
      labels: flags.label,
      local: flags.local,
      clones: flags.clones,
      timeoutMs: parseDuration(flags.timeout),
      ...(interval ? { intervalMs: interval, maxIntervalMs: Math.max(interval, interval * 4) } : {}),
      // progress goes to stderr: stdout carries the report (or its JSON)
      onProgress: (line) => process.stderr.write(`${line}\n`),
    });
    if (!this.jsonEnabled()) process.stdout.write(renderFleetSyncText(report));
    if (report.summary.attention > 0) process.exitCode = ExitCode.violations;
    return report;
  }
}
