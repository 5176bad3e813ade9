import { Flags } from '@oclif/core';
import type { DoctorReport } from '../app/doctor/doctor.js';
import { MirrorCommand } from '../cli/base.js';
import { DEFAULT_MAX_BEHIND_COMMITS, DEFAULT_MAX_BEHIND_DAYS } from '../core/doctor/types.js';
import { plain } from '../report/style.js';

export default class Doctor extends MirrorCommand {
  static override summary = "Check the pattern's guardrails: hooks, remotes, policy, ignores, sync state, and the forge's settings.";
  static override description = `Each check is pass, warn or fail, with the fix.

Local: hook-installed (pre-push and pre-commit, current), upstream-remote, policy-valid, gitignore-secrets (local secret files ignored, none tracked), behind-upstream (--max-behind-commits, --max-behind-days), no-paused-run.

Forge (GitHub or Forgejo/Gitea, through the API; skipped with a warning when there is no token): origin-private, upstream-public, secret-scanning, push-protection, branch-protection, public-self-hosted-runners (runners registered on the public repository, or its workflows targeting self-hosted labels, read from upstream/main in git), pull-request-target (a public pull_request_target workflow checking out the pull request's code), runner-lanes (warns on public jobs targeting self-hosted labels, saying which could move to a hosted or external lane, and on local-only jobs a fork's pull request would run with secrets).

In the public repository itself (the policy lists origin as public, or there is no upstream remote), the forge checks treat origin as the public side, and the mirror-only checks are left out.

The API URL comes from --api-url, else GITHUB_API_URL (as Actions sets it), else the remote's host. Tokens: GITHUB_TOKEN or GH_TOKEN (github.com), GH_ENTERPRISE_TOKEN, FORGEJO_TOKEN or GITEA_TOKEN, or \`gh auth token\`.

Exit 1 when any check fails, 0 otherwise (warnings do not fail); 2 on a usage error.`;
  static override examples = ['<%= config.bin %> doctor', '<%= config.bin %> doctor --json', '<%= config.bin %> doctor --forge forgejo --api-url https://git.example.org/api/v1'];
  static override enableJsonFlag = true;
  static override flags = {
    forge: Flags.string({ summary: 'Which forge the remotes are on (default: from the URL and the environment).', options: ['github', 'forgejo'] }),
    'api-url': Flags.string({ summary: 'Forge API base URL (default: GITHUB_API_URL, else derived from the remote).' }),
    'max-behind-commits': Flags.integer({ summary: 'Warn when main lacks more upstream commits than this.', default: DEFAULT_MAX_BEHIND_COMMITS, min: 0 }),
    'max-behind-days': Flags.integer({ summary: 'Warn when the oldest upstream commit main lacks is older than this many days.', default: DEFAULT_MAX_BEHIND_DAYS, min: 0 }),
    policy: Flags.string({ summary: 'Policy file to use instead of .mirror/policy.yml.' }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run(): Promise<DoctorReport> {
    const { flags } = await this.parse(Doctor);
    // loaded here, not at the top: oclif imports every command at start-up
    const { runDoctor } = await import('../app/doctor/doctor.js');
    const { renderDoctor } = await import('../report/doctor.js');
    const report = await runDoctor({
      cwd: flags.cwd ?? process.cwd(),
      policyFile: flags.policy,
      forge: flags.forge as 'github' | 'forgejo' | undefined,
      apiUrl: flags['api-url'],
      maxBehindCommits: flags['max-behind-commits'],
      maxBehindDays: flags['max-behind-days'],
    });
    if (!this.jsonEnabled()) {
      const colour = !process.env.NO_COLOR && (Boolean(process.env.FORCE_COLOR) || process.stdout.isTTY === true);
      const style = colour ? await (await import('../report/style.js')).colours() : plain;
      process.stdout.write(renderDoctor(report, style));
    }
    process.exitCode = report.exitCode;
    return report;
  }
}
