import { renderExperiment } from '../../src/core/init/templates.js';
import { DEFAULT_ACTION_REF } from '../../src/core/init/types.js';
import { attachActionsRuns, type FakeActions, type FakeActionsOptions, type FakeRunScript } from './fake-actions-runs.js';
import { startFakeForge, type FakeForge, type FakeForgeKind } from './fake-forge.js';
import { Sandbox, type Repo } from './sandbox.js';

export const RUNS_TOKEN = 'fake-token-for-run-tests';

/** The experiment template exactly as `mirror init` writes it. */
export function experimentYaml(kind: FakeForgeKind): string {
  return renderExperiment({ role: 'mirror', forge: kind, actionRef: DEFAULT_ACTION_REF, branch: 'main', schedule: '0 0 * * *', runnerLabels: ['self-hosted', 'gpu'], sarif: false });
}

export interface RunsWorld {
  sandbox: Sandbox;
  repo: Repo;
  fake: FakeForge;
  actions: FakeActions;
  kind: FakeForgeKind;
  /** what the app functions need to reach the fake */
  connection: {
    cwd: string;
    forge: FakeForgeKind;
    apiUrl: string;
    env: NodeJS.ProcessEnv;
    forgeOptions: { ghToken: () => Promise<undefined>; retry: { retries: number; baseDelayMs: number; maxDelayMs: number; maxTotalWaitMs: number } };
  };
  /** environment for the CLI */
  cliEnv: NodeJS.ProcessEnv;
  cliArgs: string[];
  close(): Promise<void>;
}

/**
 * A private mirror clone whose origin is a repository on the fake forge, with
 * the experiment workflow committed and known as origin/main (as after a push).
 */
export async function runsWorld(
  kind: FakeForgeKind,
  options: FakeActionsOptions & { script?: (inputs: Record<string, string>) => FakeRunScript; private?: boolean } = {},
): Promise<RunsWorld> {
  const sandbox = new Sandbox();
  const fake = await startFakeForge(kind, { token: RUNS_TOKEN });
  const actions = await attachActionsRuns(fake, options);
  fake.addRepo({ owner: 'acme', name: 'widgets-mirror', private: options.private ?? true });
  const text = experimentYaml(kind);
  const runName = /^run-name: (.*)$/m.exec(text)![1]!;
  actions.addWorkflow('acme/widgets-mirror', { file: 'experiment.yml', runName, ...(options.script ? { script: options.script } : {}) });
  const repo = sandbox.repo();
  repo.write(`${kind === 'github' ? '.github' : '.forgejo'}/workflows/experiment.yml`, text).write('README.md', '# widgets\n').commit('experiment workflow');
  repo.git('remote', 'add', 'origin', fake.remoteUrl('acme/widgets-mirror'));
  repo.git('update-ref', 'refs/remotes/origin/main', 'HEAD');
  const tokenVariable = kind === 'github' ? 'GH_ENTERPRISE_TOKEN' : 'FORGEJO_TOKEN';
  const retry = { retries: 3, baseDelayMs: 5, maxDelayMs: 20, maxTotalWaitMs: 1000 };
  return {
    sandbox,
    repo,
    fake,
    actions,
    kind,
    connection: { cwd: repo.dir, forge: kind, apiUrl: fake.apiUrl, env: { ...sandbox.env, [tokenVariable]: RUNS_TOKEN }, forgeOptions: { ghToken: async () => undefined, retry } },
    cliEnv: { [tokenVariable]: RUNS_TOKEN, MIRROR_RUN_POLL_MS: '100', MIRROR_FORGE_RETRY_DELAY_MS: '5' },
    cliArgs: ['--forge', kind, '--api-url', fake.apiUrl],
    async close() {
      await actions.close();
      await fake.close();
    },
  };
}
