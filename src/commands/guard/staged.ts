import { guardStaged } from '../../app/guard/range.js';
import type { RemoteClass } from '../../core/remotes.js';
import { MirrorCommand, formatOf, minConfidenceOf, remoteClassFlag, reportFlags } from '../../cli/base.js';
import { presentReport } from '../../cli/present.js';

export default class GuardStaged extends MirrorCommand {
  static override summary = 'Check the index (what the next commit records) for secrets: the pre-commit check.';
  static override description =
    'Scans the staged version of each changed file (not the work tree) for secrets in the lines it adds. When the mirror remote is public, or with --remote-class public, private paths and identifiers are refused too.';
  static override flags = { ...reportFlags, ...remoteClassFlag };

  async run(): Promise<void> {
    const { flags } = await this.parse(GuardStaged);
    const cwd = flags.cwd ?? process.cwd();
    const report = await guardStaged({ cwd, remoteClass: flags['remote-class'] as RemoteClass | undefined, policyFile: flags.policy, minConfidence: minConfidenceOf(flags) });
    process.exitCode = await presentReport(report, { format: formatOf(flags), output: flags.output, cwd });
  }
}
