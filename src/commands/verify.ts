import { Flags } from '@oclif/core';
import { verifyUpstream, type VerifyResult } from '../app/verify/verify.js';
import { MirrorCommand } from '../cli/base.js';
import { commonFlags } from '../cli/sync-flags.js';
import { ExitCode } from '../errors.js';
import { renderVerify } from '../report/verify.js';

export default class Verify extends MirrorCommand {
  static override summary = 'Prove the public side is clean: upstream\'s history checked for private paths, secrets and identifiers, and drift explained.';
  static override description =
    'Checks every fetched branch of the upstream remote (since the last clean verification, recorded under refs/mirror/verified/, or all of it with --full) as a push to a public remote would be checked. Then lists the public paths whose state differs between the mirror\'s main and upstream/main, and whether a sync-up (work waiting to go up) or a sync-down (upstream changes not merged yet) explains it. Exit 1 when the history has violations, or with --fail-on-drift when drift is unexplained.';
  static override enableJsonFlag = true;
  static override flags = {
    ...commonFlags,
    full: Flags.boolean({ summary: 'Check the whole history, ignoring the recorded verification point.' }),
    record: Flags.boolean({ summary: 'Record the verified tips after a clean run.', default: true, allowNo: true }),
    'fail-on-drift': Flags.boolean({ summary: 'Exit 1 when some drift is not explained by the sync flow.' }),
  };

  async run(): Promise<VerifyResult> {
    const { flags } = await this.parse(Verify);
    const cwd = flags.cwd ?? process.cwd();
    const result = await verifyUpstream({ cwd, full: flags.full, record: flags.record, policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderVerify(result, cwd));
    const unexplained = result.drift.some((entry) => entry.explanation === 'unexplained');
    process.exitCode = result.report.violations.length > 0 || (flags['fail-on-drift'] && unexplained) ? ExitCode.violations : ExitCode.ok;
    return result;
  }
}
