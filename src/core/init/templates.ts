import { withMarker } from './files.js';
import { FLEET_WORKFLOW_NAMES, renderFleetStatus, renderFleetSyncDown } from './fleet-templates.js';
import type { GeneratedFile, InitForge, InitOptions } from './types.js';

/**
 * The files `mirror init` writes, as template functions: inputs in, file contents
 * out. Values from the user are quoted for YAML and never spliced into a shell
 * script (workflow steps read them from the environment).
 */

export const POLICY_PATH = '.mirror/policy.yml';

export function workflowDirectory(forge: InitForge): string {
  return forge === 'forgejo' ? '.forgejo/workflows' : '.github/workflows';
}

export const WORKFLOW_NAMES = {
  syncDown: 'mirror-sync-down.yml',
  experiment: 'experiment.yml',
  guard: 'mirror-guard.yml',
} as const;

/** Where each forge's stock hosted runners are: GitHub's image, Forgejo runners' `docker` label. */
const HOSTED_RUNNER: Record<InitForge, string> = { github: 'ubuntu-latest', forgejo: 'docker' };

/** Forgejo supports upload-artifact v3's protocol everywhere; v4's only from recent releases. */
const UPLOAD_ARTIFACT: Record<InitForge, string> = { github: 'actions/upload-artifact@v4', forgejo: 'actions/upload-artifact@v3' };

const GIT_IDENTITY: Record<InitForge, { name: string; email: string }> = {
  github: { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' },
  forgejo: { name: 'forgejo-actions', email: 'forgejo-actions@noreply.invalid' },
};

const PLAIN = /^[A-Za-z0-9_./][A-Za-z0-9_./@+:-]*$/;
const YAML_WORDS = /^(true|false|yes|no|on|off|null|y|n|~)$/i;

/** A YAML scalar for any string: plain when unambiguous, else double-quoted (JSON is valid YAML). */
export function yamlScalar(value: string): string {
  if (PLAIN.test(value) && !YAML_WORDS.test(value) && !/^[-+]?[\d.]/.test(value) && !value.endsWith(':')) return value;
  return JSON.stringify(value);
}

function flowList(values: readonly string[]): string {
  return `[${values.map(yamlScalar).join(', ')}]`;
}

export function renderFiles(options: InitOptions): GeneratedFile[] {
  const dir = workflowDirectory(options.forge);
  const files: GeneratedFile[] = [{ path: POLICY_PATH, kind: 'policy', content: renderPolicy(options) }];
  if (options.role === 'mirror') {
    files.push({ path: `${dir}/${WORKFLOW_NAMES.syncDown}`, kind: 'workflow', content: renderSyncDown(options) });
    files.push({ path: `${dir}/${WORKFLOW_NAMES.experiment}`, kind: 'workflow', content: renderExperiment(options) });
  } else if (options.role === 'fleet') {
    files.push({ path: `${dir}/${FLEET_WORKFLOW_NAMES.status}`, kind: 'workflow', content: renderFleetStatus(options) });
    files.push({ path: `${dir}/${FLEET_WORKFLOW_NAMES.syncDown}`, kind: 'workflow', content: renderFleetSyncDown(options) });
  } else {
    files.push({ path: `${dir}/${WORKFLOW_NAMES.guard}`, kind: 'workflow', content: renderGuard(options) });
  }
  return files;
}

// ---- .mirror/policy.yml ------------------------------------------------------

export function renderPolicy(options: Pick<InitOptions, 'role' | 'branch'>): string {
  const lines =
    options.role === 'mirror'
      ? [
          '# The policy of this private mirror. It extends mirror\'s shipped defaults',
          '# (private/**, *.local.*, .env files and key material are private zones);',
          '# `mirror policy check` explains what is in force.',
          'remotes:',
          '  private: [origin]   # this customer\'s private mirror',
          '  public: [upstream]  # the public upstream project (a remote in neither list is public too)',
        ]
      : options.role === 'fleet'
        ? [
            '# The policy of the fleet\'s control repository: its .mirror/fleet.yml names every customer',
            '# (a private zone of the shipped defaults). `mirror fleet` refuses to run where origin is public.',
            'remotes:',
            '  private: [origin]   # this control repository: private',
          ]
        : [
          '# The policy of the public upstream repository. It extends mirror\'s shipped defaults;',
          '# `mirror policy check` explains what is in force.',
          'remotes:',
          '  public: [origin]    # this repository is the public side: private zones and secrets are refused here',
        ];
  if (options.branch !== 'main') lines.push('sync:', `  branch: ${yamlScalar(options.branch)}`);
  return withMarker(`${lines.join('\n')}\n`);
}

// ---- mirror: sync-down -------------------------------------------------------

export function renderSyncDown(options: InitOptions): string {
  const identity = GIT_IDENTITY[options.forge];
  const upstream = options.upstreamUrl ?? '';
  return withMarker(`#
# Brings the public upstream into this private mirror on a schedule (and on demand):
# fetches upstream, merges upstream/${options.branch} into ${options.branch} and, as ${options.branch} is protected,
# pushes a mirror/sync-down-* branch and opens a pull request here (\`mirror sync-down --ci\`).
# A conflict stops the run: resolve it locally with \`mirror sync-down\`, then \`mirror continue\`.
# The run ends with a \`mirror-sync-down-result:\` line (merged, pull request, conflict
# and its files) that \`mirror fleet sync-down\` reads from the job log.
name: mirror sync-down

# correlation_id lets \`mirror fleet sync-down\` find the run it started where the forge
# does not say (GitHub Enterprise Server, Gitea): keep it in the run name
run-name: mirror sync-down \${{ inputs.correlation_id }}

on:
  schedule:
    - cron: ${yamlScalar(options.schedule)}
  workflow_dispatch:
    inputs:
      correlation_id:
        description: Set by mirror fleet sync-down to find this run again; leave empty
        type: string
        required: false
        default: ''

permissions:
  contents: write        # push the sync branch
  pull-requests: write   # open the pull request

concurrency:
  group: mirror-sync-down
  cancel-in-progress: false

jobs:
  sync-down:
    runs-on: ${HOSTED_RUNNER[options.forge]}
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the merge needs the whole history
      - name: Add the upstream remote
        env:
          UPSTREAM_URL: ${yamlScalar(upstream)}
        run: |
          git remote add upstream "$UPSTREAM_URL" || git remote set-url upstream "$UPSTREAM_URL"
          git config user.name ${shellWord(identity.name)}
          git config user.email ${shellWord(identity.email)}
      - name: Sync down
        uses: ${yamlScalar(options.actionRef)}
        env:
          GITHUB_TOKEN: \${{ github.token }}   # opens the pull request
        with:
          command: sync-down --ci
`);
}

// ---- mirror: experiment ------------------------------------------------------

export function renderExperiment(options: InitOptions): string {
  return withMarker(`#
# A manual experiment on this mirror's own (self-hosted) runner. Start it with
# \`mirror run dispatch experiment -f run_name=trial -f dataset=sample\` (or from the
# Actions tab), follow it with \`mirror run watch\`, fetch results/ with
# \`mirror run download\`, and put runs side by side with \`mirror run compare\`.
# The result contract: everything under results/, with results/metrics.json a flat
# JSON object of numbers. Replace the "Run the experiment" step with your own command.
name: experiment

# correlation_id lets \`mirror run dispatch\` find the run it started where the forge
# does not say (GitHub Enterprise Server, Gitea): keep it in the run name
run-name: experiment \${{ inputs.run_name }} on \${{ inputs.dataset }} [\${{ inputs.correlation_id }}]

on:
  workflow_dispatch:
    inputs:
      run_name:
        description: A name for this run (part of the artifact name)
        type: string
        required: true
        default: trial
      parameters:
        description: Parameters passed to the experiment, e.g. --epochs 3 --seed 1
        type: string
        required: false
        default: ''
      dataset:
        description: The dataset to run on
        type: choice
        required: true
        options:
          - sample
          - full
        default: sample
      retention_days:
        description: How many days the results artifact is kept
        type: choice
        required: false
        options:
          - '7'
          - '30'
          - '90'
        default: '30'
      correlation_id:
        description: Set by mirror run dispatch to find this run again; leave empty
        type: string
        required: false
        default: ''

permissions:
  contents: read

jobs:
  experiment:
    # labels of the runner registered for this mirror (customer hardware stays private)
    runs-on: ${flowList(options.runnerLabels)}
    timeout-minutes: 360
    steps:
      - uses: actions/checkout@v4
      - name: Name the results
        id: names
        env:
          RUN_NAME: \${{ inputs.run_name }}
        run: |
          safe=$(printf '%s' "$RUN_NAME" | tr -c 'A-Za-z0-9._-' '-')
          echo "artifact=experiment-$safe-$GITHUB_RUN_ID" >> "$GITHUB_OUTPUT"
          mkdir -p results
      - name: Run the experiment
        # inputs arrive through the environment, never spliced into the script
        env:
          RUN_NAME: \${{ inputs.run_name }}
          PARAMETERS: \${{ inputs.parameters }}
          DATASET: \${{ inputs.dataset }}
        run: |
          echo "run $RUN_NAME on $DATASET with: $PARAMETERS" | tee results/summary.txt
          # the metrics mirror run compare reads: a flat JSON object of numbers
          printf '{"score": %s}\\n' 0 > results/metrics.json
      - name: Upload the results
        if: always()
        uses: ${UPLOAD_ARTIFACT[options.forge]}
        with:
          name: \${{ steps.names.outputs.artifact }}
          path: results/
          if-no-files-found: warn
          retention-days: \${{ inputs.retention_days }}
`);
}

// ---- public: guard -----------------------------------------------------------

export function renderGuard(options: InitOptions): string {
  const sarif = options.sarif && options.forge === 'github';
  const file = 'mirror-guard.sarif';
  const permissions = sarif
    ? `    permissions:
      contents: read
      security-events: write   # upload the SARIF report to code scanning
`
    : `    permissions:
      contents: read
`;
  const withSarif = sarif ? `          sarif: ${file}\n` : '';
  const upload = sarif
    ? `      - name: Upload the findings to code scanning
        # a fork's pull request gets a read-only token: code scanning refuses its upload
        if: always() && hashFiles('${file}') != '' && (github.event_name != 'pull_request' || github.event.pull_request.head.repo.full_name == github.repository)
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: ${file}
          category: mirror-guard
`
    : '';
  return withMarker(`#
# The authority behind the hooks (which can be skipped with --no-verify): refuses
# secrets, private paths and private identifiers in what each pull request and push
# brings into this public repository (\`mirror guard ci\`).
name: mirror guard

on:
  pull_request:
  push:

permissions:
  contents: read

jobs:
  guard:
    runs-on: ${HOSTED_RUNNER[options.forge]}
    timeout-minutes: 15
${permissions}    steps:
      - uses: actions/checkout@v4
        with:
          fetch-depth: 0   # the guard needs the base of the range; a shallow clone fails closed
          persist-credentials: false
      - name: Guard
        uses: ${yamlScalar(options.actionRef)}
        with:
          command: guard ci
${withSarif}${upload}`);
}

/** A single-quoted shell word. */
function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
