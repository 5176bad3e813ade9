import { Flags } from '@oclif/core';
import type { InitResult } from '../app/init/init.js';
import { MirrorCommand } from '../cli/base.js';
import { DEFAULT_ACTION_REF, DEFAULT_FLEET_SCHEDULE, DEFAULT_FORGEJO_ACTION_REF, DEFAULT_RUNNER_LABELS, DEFAULT_SCHEDULE } from '../core/init/types.js';

export default class Init extends MirrorCommand {
  static override summary = 'Set up a private mirror (or, with --public, the public repository) for the pattern.';
  static override description = `In a private mirror: adds the upstream remote (--upstream URL), writes .mirror/policy.yml (origin private, upstream public), adds .gitignore entries for local secret files (.env files, key material; private/ and *.local.* stay tracked), installs the pre-push and pre-commit hooks, and writes two workflows: mirror-sync-down.yml (scheduled and manual \`mirror sync-down --ci\`, which opens a pull request in the mirror) and experiment.yml (a manual run on a self-hosted runner with typed inputs, results kept as an artifact).

With --public, in the public repository: writes the policy (origin public), the .gitignore entries, the hooks and mirror-guard.yml (\`mirror guard ci\` on every pull request and push; --sarif uploads the findings to GitHub code scanning).

With --fleet, in the fleet's private control repository (the one holding .mirror/fleet.yml): writes the policy (origin private), the .gitignore entries, the hooks, mirror-fleet-status.yml (\`mirror fleet status --format markdown\` on a schedule, --schedule, into the job summary; the job fails when a mirror fails a check; --label splits it into a matrix job per label) and mirror-fleet-sync-down.yml (\`mirror fleet sync-down\`, started by hand). Both read the repository secret MIRROR_FLEET_TOKEN.

Workflows go to .github/workflows, or .forgejo/workflows with --forge forgejo. A second run changes nothing. A file that differs from what mirror would write is kept if someone edited it (--force replaces it); a file written by an earlier mirror and never edited is brought up to date. --dry-run prints what would be written and writes nothing.

The workflows call mirror's composite action as \`uses: ${DEFAULT_ACTION_REF}\` (on Forgejo \`${DEFAULT_FORGEJO_ACTION_REF}\`); --action-ref changes it, e.g. to a fork or a pinned commit.`;
  static override examples = [
    '<%= config.bin %> init --upstream https://github.com/acme/widget.git',
    '<%= config.bin %> init --upstream https://github.com/acme/widget.git --runner-label self-hosted --runner-label gpu --dry-run',
    '<%= config.bin %> init --public --sarif',
    '<%= config.bin %> init --fleet --label eu --label us',
    '<%= config.bin %> init --forge forgejo --upstream https://codeberg.org/acme/widget.git',
  ];
  static override enableJsonFlag = true;
  static override flags = {
    public: Flags.boolean({ summary: 'This is the public upstream repository (writes the guard workflow).', exclusive: ['fleet'] }),
    fleet: Flags.boolean({ summary: "This is the fleet's private control repository (writes the scheduled fleet status and the manual fleet sync-down workflows)." }),
    label: Flags.string({ summary: 'With --fleet: one status job per label, as a matrix (repeat for several).', multiple: true }),
    upstream: Flags.string({ summary: 'URL of the public upstream repository (added as the "upstream" remote).', exclusive: ['public', 'fleet'] }),
    forge: Flags.string({ summary: 'Which forge runs the workflows: github (.github/workflows) or forgejo (.forgejo/workflows).', options: ['github', 'forgejo'], default: 'github' }),
    'action-ref': Flags.string({ summary: `The composite action's uses: reference [default: ${DEFAULT_ACTION_REF}; on Forgejo ${DEFAULT_FORGEJO_ACTION_REF}].` }),
    sarif: Flags.boolean({ summary: 'With --public on GitHub: upload the guard\'s findings as SARIF to code scanning.' }),
    branch: Flags.string({ summary: 'The default branch sync-down merges into.', default: 'main' }),
    schedule: Flags.string({ summary: `Cron schedule of the sync-down workflow (with --fleet: of the fleet status) [default: ${DEFAULT_SCHEDULE}; with --fleet ${DEFAULT_FLEET_SCHEDULE}].` }),
    'runner-label': Flags.string({
      summary: `runs-on label of the experiment workflow; repeat for several [default: ${DEFAULT_RUNNER_LABELS.github.join(', ')}; on Forgejo ${DEFAULT_RUNNER_LABELS.forgejo.join(', ')}].`,
      multiple: true,
    }),
    'dry-run': Flags.boolean({ summary: 'Print what would be written; change nothing.' }),
    force: Flags.boolean({ summary: 'Replace files that differ from the templates, and an upstream remote with another URL.' }),
    cwd: Flags.string({ char: 'C', summary: 'Run as if started in this directory.' }),
  };

  async run(): Promise<InitResult> {
    const { flags } = await this.parse(Init);
    // loaded here, not at the top: oclif imports every command at start-up
    const { initRepository } = await import('../app/init/init.js');
    const { renderInit } = await import('../report/init.js');
    const result = await initRepository({
      cwd: flags.cwd ?? process.cwd(),
      role: flags.public ? 'public' : flags.fleet ? 'fleet' : 'mirror',
      forge: flags.forge as 'github' | 'forgejo',
      actionRef: flags['action-ref'],
      branch: flags.branch,
      upstreamUrl: flags.upstream,
      schedule: flags.schedule,
      runnerLabels: flags['runner-label'],
      sarif: flags.sarif,
      fleetLabels: flags.label,
      dryRun: flags['dry-run'],
      force: flags.force,
    });
    if (!this.jsonEnabled()) process.stdout.write(renderInit(result));
    return result;
  }
}
