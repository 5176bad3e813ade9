import { checkFleet, type FleetCheck as FleetCheckResult } from '../../app/fleet/control.js';
import { MirrorCommand } from '../../cli/base.js';
import { fleetFlags } from '../../cli/fleet-flags.js';
import { ExitCode } from '../../errors.js';
import { renderFleetCheck } from '../../report/fleet-check.js';

export default class FleetCheck extends MirrorCommand {
  static override summary = 'Validate the fleet file and explain what it declares.';
  static override description =
    'Validates .mirror/fleet.yml (or --file) against its schema: unknown keys, missing fields, bad forge names, duplicate mirror names. Each error names its file, line and field. Exit 2 when invalid, or when run from a checkout whose origin is classed public.';
  static override enableJsonFlag = true;
  static override flags = fleetFlags;

  async run(): Promise<FleetCheckResult> {
    const { flags } = await this.parse(FleetCheck);
    const cwd = flags.cwd ?? process.cwd();
    const check = await checkFleet({ cwd, file: flags.file, policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderFleetCheck(check, cwd));
    if (!check.valid) process.exitCode = ExitCode.usage;
    return check;
  }
}
