import { Args, Flags } from '@oclif/core';
import { prePush } from '../../app/guard/pre-push.js';
import { fromPreCommitEnvironment } from '../../core/guard/pre-push-input.js';
import { MirrorCommand, formatOf, minConfidenceOf, reportFlags } from '../../cli/base.js';
import { presentReport } from '../../cli/present.js';
import { readStdin } from '../../cli/stdin.js';
import { toStderr } from '../../entry/pre-push-hook.js';
import { REFUSED_FOOTER, HOOK_FAILED } from '../../messages.js';

export default class GuardPrePush extends MirrorCommand {
  static override summary = 'Check a push as git\'s pre-push hook does (reads the ref lines on stdin).';
  static override description =
    'Computes every object the push publishes (all refs at once) that the remote does not have, scans each new blob once for secrets in the lines it adds, scans commit and tag messages, and, toward a public remote, refuses paths in private zones and private identifiers.';
  static override examples = ['echo "refs/heads/main <sha> refs/heads/main <sha>" | <%= config.bin %> guard pre-push origin git@host:acme/app.git'];
  static override args = {
    remote: Args.string({ description: 'remote name (or URL) as git passes it' }),
    url: Args.string({ description: 'remote URL as git passes it' }),
  };
  static override flags = {
    ...reportFlags,
    'from-pre-commit': Flags.boolean({ summary: 'Read the push from the pre-commit framework\'s PRE_COMMIT_* variables instead of stdin.' }),
  };
  protected override errorContext = HOOK_FAILED;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(GuardPrePush);
    const push = flags['from-pre-commit'] ? fromPreCommitEnvironment(process.env) : { input: await readStdin(), remote: args.remote, url: args.url };
    if (!push.remote || !push.url) this.error('give the remote and its URL (as git passes them to a pre-push hook), or --from-pre-commit', { exit: 2 });
    const cwd = flags.cwd ?? process.cwd();
    const report = await prePush({ cwd, remote: push.remote, url: push.url, input: push.input, policyFile: flags.policy, minConfidence: minConfidenceOf(flags) });
    const format = formatOf(flags);
    process.exitCode = await presentReport(report, {
      format,
      output: flags.output,
      cwd,
      footer: REFUSED_FOOTER,
      write: format === 'text' ? toStderr : undefined,
    });
  }
}
