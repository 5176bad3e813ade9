import { Flags } from '@oclif/core';
import { fleetStatus, type FleetStatus as FleetStatusResult } from '../../app/fleet/status.js';
import { MirrorCommand } from '../../cli/base.js';
import { fleetFlags } from '../../cli/fleet-flags.js';
import { ExitCode } from '../../errors.js';
import { renderFleetStatusMarkdown, renderFleetStatusText } from '../../report/fleet-status.js';

export default class FleetStatus extends MirrorCommand {
  static override summary = 'Which mirrors are behind, failing their sync-down or unreachable.';
  static override description =
    'Fetches the upstream and every mirror into one shared bare cache (each under refs/fleet/<name>/), then reports per mirror: commits ahead of and behind the upstream, the date of the last merge from upstream, and with a token the last mirror-sync-down workflow run and open sync pull requests (else marked skipped). Exit 1 when any mirror fails a check, 2 on a bad fleet file or a public checkout.';
  static override enableJsonFlag = true;
  static override flags = {
    ...fleetFlags,
    jobs: Flags.integer({ char: 'j', summary: 'Mirrors worked on at once.', default: 4, min: 1, max: 64 }),
    label: Flags.string({ char: 'l', summary: 'Only mirrors with this label (repeat: all of them).', multiple: true }),
    cache: Flags.string({ summary: 'The shared fetch cache (a bare repository); default .git/mirror/fleet-cache of this checkout.' }),
    'max-behind': Flags.integer({ summary: 'Commits a mirror may lag behind upstream before it fails.', default: 0, min: 0 }),
    format: Flags.string({ char: 'f', summary: 'Output format.', options: ['text', 'markdown'], default: 'text' }),
  };

  async run(): Promise<FleetStatusResult> {
    const { flags } = await this.parse(FleetStatus);
    const cwd = flags.cwd ?? process.cwd();
    const live = process.stderr.isTTY === true && !this.jsonEnabled();
    const status = await fleetStatus({
      cwd,
      file: flags.file,
      policyFile: flags.policy,
      jobs: flags.jobs,
      labels: flags.label,
      cache: flags.cache,
      maxBehind: flags['max-behind'],
      onProgress: live ? (done, total, name) => process.stderr.write(`\r\x1b[K${done}/${total} ${name}${done === total ? '\n' : ''}`) : undefined,
    });
    if (!this.jsonEnabled()) process.stdout.write(flags.format === 'markdown' ? renderFleetStatusMarkdown(status) : renderFleetStatusText(status));
    if (status.summary.fail > 0) process.exitCode = ExitCode.violations;
    return status;
  }
}
