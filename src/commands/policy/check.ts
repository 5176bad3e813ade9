import { Flags } from '@oclif/core';
import { explainPolicy, type PolicyExplanation } from '../../app/policy/check.js';
import { MirrorCommand } from '../../cli/base.js';
import { ExitCode } from '../../errors.js';
import { renderPolicy } from '../../report/policy.js';

export default class PolicyCheck extends MirrorCommand {
  static override summary = 'Validate the policy and explain what is in force.';
  static override description =
    'Validates policies/default.yml and the repository\'s .mirror/policy.yml (or --policy FILE): unknown keys, invalid globs and regexes, regexes that can backtrack catastrophically, removals of things that do not exist. Each error names its file, line and field. Exit 2 when invalid.';
  static override enableJsonFlag = true;
  static override flags = {
    policy: Flags.string({ summary: 'Policy file to check instead of .mirror/policy.yml.' }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run(): Promise<PolicyExplanation> {
    const { flags } = await this.parse(PolicyCheck);
    const cwd = flags.cwd ?? process.cwd();
    const explanation = await explainPolicy({ cwd, policyFile: flags.policy });
    if (!this.jsonEnabled()) process.stdout.write(renderPolicy(explanation, cwd));
    if (!explanation.valid) process.exitCode = ExitCode.usage;
    return explanation;
  }
}
