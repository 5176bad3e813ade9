import { withMarker } from './files.js';
import { yamlScalar } from './templates.js';
import type { InitForge, InitOptions } from './types.js';

/**
 * The control repository's workflows (`mirror init --fleet`): the fleet's status on
 * a schedule, its table in the job summary, and a fleet sync-down started by hand.
 * They run on the control repository's forge; each mirror's merge still runs on
 * the mirror's own forge (its `mirror-sync-down` workflow).
 */

export const FLEET_WORKFLOW_NAMES = {
  status: 'mirror-fleet-status.yml',
  syncDown: 'mirror-fleet-sync-down.yml',
} as const;

/** The repository secret the workflows read: a token that can read (status) and dispatch (sync-down) every mirror. */
export const FLEET_TOKEN_SECRET = 'MIRROR_FLEET_TOKEN';

const HOSTED_RUNNER: Record<InitForge, string> = { github: 'ubuntu-latest', forgejo: 'docker' };

/** The variables mirror reads a token from on each forge (README, Forge access). */
function tokenEnv(forge: InitForge): string {
  const names = forge === 'github' ? ['GITHUB_TOKEN', 'GH_ENTERPRISE_TOKEN'] : ['FORGEJO_TOKEN'];
  return [`      ${FLEET_TOKEN_SECRET}: \${{ secrets.${FLEET_TOKEN_SECRET} }}`, ...names.map((name) => `      ${name}: \${{ secrets.${FLEET_TOKEN_SECRET} }}`)].join('\n');
}

const CHECKOUT = `      - uses: actions/checkout@v4
        with:
          persist-credentials: false   # git asks the helper below, with the fleet token, for the mirrors`;

/** git asks this helper for the mirrors' credentials on this forge; it prints the token from the environment, so no file holds it. */
const CREDENTIALS = `      - name: Let git fetch the private mirrors with the fleet token
        run: |
          # for mirrors on another host, add one such line per host
          git config --global "credential.$GITHUB_SERVER_URL.helper" '!f() { test "$1" = get && printf "username=x-access-token\\npassword=%s\\n" "$${FLEET_TOKEN_SECRET}"; }; f'`;

export function renderFleetStatus(options: InitOptions): string {
  const labels = options.fleetLabels ?? [];
  const matrix = labels.length > 0;
  const strategy = matrix
    ? `    # one job per label, side by side: how the status scales past one runner
    strategy:
      fail-fast: false
      matrix:
        label: [${labels.map(yamlScalar).join(', ')}]
`
    : '';
  const suffix = matrix ? '-${{ matrix.label }}' : '';
  const command = `fleet status --format markdown${matrix ? ' --label ${{ matrix.label }}' : ''}`;
  return withMarker(`#
# The fleet's status on a schedule (and by hand): every mirror of .mirror/fleet.yml
# fetched into one shared cache and checked (\`mirror fleet status\`): behind the
# upstream, last sync-down, open sync pull requests, drift. The table goes to the
# job summary; the job fails when a mirror fails a check.
# Needs the repository secret ${FLEET_TOKEN_SECRET}: a token that can read every mirror
# (contents, actions and pull requests: read).
name: mirror fleet status

on:
  schedule:
    - cron: ${yamlScalar(options.schedule)}
  workflow_dispatch:

permissions:
  contents: read

concurrency:
  group: mirror-fleet-status
  cancel-in-progress: true

jobs:
  status:
    runs-on: ${HOSTED_RUNNER[options.forge]}
    timeout-minutes: 30
${strategy}    env:
${tokenEnv(options.forge)}
    steps:
${CHECKOUT}
      - name: Keep the fleet cache between runs (its objects and the forge answers' ETags)
        uses: actions/cache@v4
        with:
          path: .git/mirror/fleet-cache
          key: mirror-fleet-cache${suffix}-\${{ github.run_id }}
          restore-keys: mirror-fleet-cache${suffix}-
${CREDENTIALS}
      - name: Fleet status
        uses: ${yamlScalar(options.actionRef)}
        with:
          command: ${command}
          step-summary: 'true'
`);
}

export function renderFleetSyncDown(options: InitOptions): string {
  return withMarker(`#
# A fleet sync-down, started by hand (Actions tab, or \`gh workflow run\`): dispatches
# each mirror's own mirror-sync-down workflow, so every merge runs on that mirror's
# forge with its own secrets and runner, and watches them all to the end
# (\`mirror fleet sync-down\`): merged, pull request opened, conflict, failed.
# Needs the repository secret ${FLEET_TOKEN_SECRET}: a token that can read every mirror
# and start its workflows (actions: write).
name: mirror fleet sync-down

on:
  workflow_dispatch:
    inputs:
      label:
        description: Only the mirrors with this label (empty for the whole fleet)
        type: string
        required: false
        default: ''

permissions:
  contents: read

concurrency:
  group: mirror-fleet-sync-down
  cancel-in-progress: false

jobs:
  sync-down:
    runs-on: ${HOSTED_RUNNER[options.forge]}
    timeout-minutes: 120
    env:
${tokenEnv(options.forge)}
    steps:
${CHECKOUT}
${CREDENTIALS}
      - name: Fleet sync-down
        uses: ${yamlScalar(options.actionRef)}
        with:
          # the input reaches mirror as an argument through the environment, never a script
          command: fleet sync-down\${{ inputs.label != '' && format(' --label {0}', inputs.label) || '' }}
`);
}
