import { Args } from '@oclif/core';
import { guardRange } from '../../app/guard/range.js';
import type { RemoteClass } from '../../core/remotes.js';
import { MirrorCommand, formatOf, minConfidenceOf, remoteClassFlag, reportFlags } from '../../cli/base.js';
import { presentReport } from '../../cli/present.js';

export default class GuardRange extends MirrorCommand {
  static override summary = 'Check every commit of base..head as a push to a remote of the given class would be.';
  static override description =
    'The same checks as the pre-push hook, over an explicit range (what CI uses). Merges are included; a base or head that cannot be resolved is an error, never an empty scan. Without --remote-class the class is how the policy classes the mirror remote (origin).';
  static override examples = ['<%= config.bin %> guard range origin/main..HEAD --remote-class public --format sarif -o mirror.sarif'];
  static override args = { range: Args.string({ required: true, description: 'base..head' }) };
  static override flags = { ...reportFlags, ...remoteClassFlag };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(GuardRange);
    const cwd = flags.cwd ?? process.cwd();
    const report = await guardRange({ cwd, range: args.range, remoteClass: flags['remote-class'] as RemoteClass | undefined, policyFile: flags.policy, minConfidence: minConfidenceOf(flags) });
    process.exitCode = await presentReport(report, { format: formatOf(flags), output: flags.output, cwd });
  }
}
