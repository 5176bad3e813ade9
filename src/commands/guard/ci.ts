import { appendFileSync, writeFileSync } from 'node:fs';
import { Flags } from '@oclif/core';
import { guardCi } from '../../app/guard/ci.js';
import type { RemoteClass } from '../../core/remotes.js';
import { MirrorCommand, formatOf, minConfidenceOf, remoteClassFlag, reportFlags } from '../../cli/base.js';
import { presentReport } from '../../cli/present.js';
import { version } from '../../cli/version.js';
import { toAnnotations } from '../../report/github.js';
import { toMarkdown } from '../../report/markdown.js';
import { toSarif } from '../../report/sarif.js';

export default class GuardCi extends MirrorCommand {
  static override summary = 'The CI guard job: works out what the run publishes from the CI event and checks it.';
  static override description =
    'GitHub, Forgejo and Gitea Actions (event payload) and GitLab CI (merge-request and push variables). Pull request: merge base of base and head, to head, judged by the policy of the base commit. Push: before..after. A new branch or a tag: everything not already on the default branch (whose own pushes are checked); a force push: everything not on the previous tip or the default branch. Pushes and tags are judged by the policy of the default branch\'s tip (a push to the default branch: of its previous tip). A shallow clone is deepened when possible, otherwise the job fails with the fix (fetch-depth: 0). In Actions it writes error annotations and a job summary.';
  static override examples = ['<%= config.bin %> guard ci', '<%= config.bin %> guard ci --sarif mirror.sarif', '<%= config.bin %> guard ci --base origin/main --head HEAD --remote-class public'];
  static override flags = {
    ...reportFlags,
    ...remoteClassFlag,
    base: Flags.string({ summary: 'Override the range base (instead of the CI event).' }),
    head: Flags.string({ summary: 'Override the range head (instead of the CI event).' }),
    sarif: Flags.string({ summary: 'Also write a SARIF 2.1.0 report to this file (for code scanning upload).' }),
    remote: Flags.string({ summary: 'Remote the clone fetches missing history and the default branch from, and whose class applies (default: origin to fetch from; the policy\'s mirror remote, origin, to class).' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(GuardCi);
    const cwd = flags.cwd ?? process.cwd();
    const result = await guardCi({
      cwd,
      base: flags.base,
      head: flags.head,
      remoteClass: flags['remote-class'] as RemoteClass | undefined,
      policyFile: flags.policy,
      minConfidence: minConfidenceOf(flags),
      remote: flags.remote,
    });
    const { report, notes, ci } = result;
    for (const note of notes) process.stderr.write(`mirror: ${note}\n`);
    if (ci.annotations && formatOf(flags) !== 'github') process.stdout.write(toAnnotations(report));
    if (ci.summaryFile) appendFileSync(ci.summaryFile, toMarkdown(report, notes));
    if (flags.sarif) writeFileSync(flags.sarif, `${JSON.stringify(toSarif(report, version()), null, 2)}\n`);
    process.exitCode = await presentReport(report, { format: formatOf(flags), output: flags.output, cwd });
  }
}
