import { Flags } from '@oclif/core';
import { fleetDoctor, type FleetDoctorReport } from '../../app/fleet/doctor.js';
import { MirrorCommand } from '../../cli/base.js';
import { fleetFlags } from '../../cli/fleet-flags.js';
import { ExitCode } from '../../errors.js';
import { renderFleetDoctorText } from '../../report/fleet-doctor.js';

export default class FleetDoctor extends MirrorCommand {
  static override summary = "The forge checks of `mirror doctor` for every mirror, in one table.";
  static override description =
    "For each mirror of the fleet file: private, secret scanning and push protection (where the forge has them), default branch protected, and the guard workflow (`mirror guard ci` on push and pull_request) on the default branch, read with git through the shared fetch cache; the same pass/warn/fail and fixes as `mirror doctor` in that mirror's clone. Exit 1 when any mirror fails a check, 2 on a bad fleet file or a public checkout.";
  static override enableJsonFlag = true;
  static override flags = {
    ...fleetFlags,
    jobs: Flags.integer({ char: 'j', summary: 'Mirrors asked at once.', default: 4, min: 1, max: 64 }),
    label: Flags.string({ char: 'l', summary: 'Only mirrors with this label (repeat: all of them).', multiple: true }),
    cache: Flags.string({ summary: 'The shared fetch cache (a bare repository); default .git/mirror/fleet-cache of this checkout.' }),
  };

  async run(): Promise<FleetDoctorReport> {
    const { flags } = await this.parse(FleetDoctor);
    const report = await fleetDoctor({ cwd: flags.cwd ?? process.cwd(), file: flags.file, policyFile: flags.policy, jobs: flags.jobs, labels: flags.label, cache: flags.cache });
    if (!this.jsonEnabled()) process.stdout.write(renderFleetDoctorText(report));
    if (report.mirrorSummary.fail > 0) process.exitCode = ExitCode.violations;
    return report;
  }
}
