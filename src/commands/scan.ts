import { Args, Flags } from '@oclif/core';
import { scanHistory } from '../app/guard/range.js';
import { scanFiles } from '../app/scan/files.js';
import type { RemoteClass } from '../core/remotes.js';
import { MirrorCommand, formatOf, minConfidenceOf, remoteClassFlag, reportFlags } from '../cli/base.js';
import { presentReport } from '../cli/present.js';

export default class Scan extends MirrorCommand {
  static override summary = 'Scan files on disk, or a repository\'s whole history, for secrets.';
  static override description =
    'Without --history: the files and directories given (default: the current directory), secrets only; .git and node_modules are not entered. With --history: every blob, commit message and tag of every ref (or of RANGE), each blob once, for the lines it adds.';
  static override strict = false;
  static override args = { paths: Args.string({ description: 'files or directories; with --history, an optional range base..head' }) };
  static override examples = ['<%= config.bin %> scan src config', '<%= config.bin %> scan --history', '<%= config.bin %> scan --history v1.0..main --format sarif -o history.sarif'];
  static override flags = {
    ...reportFlags,
    ...remoteClassFlag,
    history: Flags.boolean({ summary: 'Scan the git history instead of files on disk.' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Scan);
    const cwd = flags.cwd ?? process.cwd();
    const rest = argv as string[];
    if (flags.history && rest.length > 1) this.error('--history takes at most one range', { exit: 2 });
    const report = flags.history
      ? await scanHistory({ cwd, range: rest[0], remoteClass: flags['remote-class'] as RemoteClass | undefined, policyFile: flags.policy, minConfidence: minConfidenceOf(flags) })
      : await scanFiles({ cwd, paths: rest, policyFile: flags.policy, minConfidence: minConfidenceOf(flags) });
    process.exitCode = await presentReport(report, { format: formatOf(flags), output: flags.output, cwd });
  }
}
