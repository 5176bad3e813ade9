import { Args } from '@oclif/core';
import { prePush } from '../../app/guard/pre-push.js';
import { MirrorCommand, formatOf, reportFlags } from '../../cli/base.js';
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
    remote: Args.string({ required: true, description: 'remote name (or URL) as git passes it' }),
    url: Args.string({ required: true, description: 'remote URL as git passes it' }),
  };
  static override flags = reportFlags;
  protected override errorContext = HOOK_FAILED;

  async run(): Promise<void> {
    const { args, flags } = await this.parse(GuardPrePush);
    const input = await readStdin();
    const cwd = flags.cwd ?? process.cwd();
    const report = await prePush({ cwd, remote: args.remote, url: args.url, input, policyFile: flags.policy });
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
