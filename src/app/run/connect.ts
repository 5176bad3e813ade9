import type { ActionsRunsApi } from '../../adapters/forge/actions-runs-types.js';
import { createForge, resolveForgeSettings, resolveToken, retryPolicyFromEnv, type Forge, type ForgeKind, type ForgeOptions, type RepoRef } from '../../adapters/forge/index.js';
import { Repository } from '../../adapters/git/repository.js';
import { ExitCode, MirrorError } from '../../errors.js';

export interface RunConnectionRequest {
  cwd: string;
  /** default origin: the private mirror, where experiments run */
  remote?: string;
  forge?: ForgeKind;
  apiUrl?: string;
  env?: NodeJS.ProcessEnv;
  /** tests: `ghToken`, `retry`, `sleep` */
  forgeOptions?: Pick<ForgeOptions, 'ghToken' | 'retry' | 'timeoutMs' | 'sleep'>;
}

export interface RunConnection {
  repo: Repository;
  /** `.git` (common dir): where `mirror/runs/` lives */
  commonDir: string;
  remote: string;
  kind: ForgeKind;
  repoRef: RepoRef;
  forge: Forge;
  api: ActionsRunsApi;
  tokenSource: string | undefined;
}

/** The repository, its remote's forge and the Actions API behind it. The token stays inside the adapters. */
export async function connectRuns(request: RunConnectionRequest): Promise<RunConnection> {
  const env = request.env ?? process.env;
  const repo = await Repository.open(request.cwd);
  const remote = request.remote ?? 'origin';
  const url = (await repo.git(['config', '--get', `remote.${remote}.url`], { okCodes: [1] })).stdout.toString('utf8').trim();
  if (!url) {
    throw new MirrorError('run-no-remote', `there is no remote named ${remote}`, { exitCode: ExitCode.usage, suggestions: ['pass --remote NAME: the private mirror the workflow lives in'] });
  }
  const settings = resolveForgeSettings(url, { kind: request.forge, apiUrl: request.apiUrl, env });
  const token = await resolveToken(settings, { env, ...(request.forgeOptions?.ghToken ? { ghToken: request.forgeOptions.ghToken } : {}) });
  const client = {
    apiUrl: settings.apiUrl,
    token: token?.token,
    retry: { ...retryPolicyFromEnv(env), ...request.forgeOptions?.retry },
    ...(request.forgeOptions?.timeoutMs !== undefined ? { timeoutMs: request.forgeOptions.timeoutMs } : {}),
    ...(request.forgeOptions?.sleep ? { sleep: request.forgeOptions.sleep } : {}),
  };
  const forge = await createForge(settings.kind, client);
  const api =
    settings.kind === 'github'
      ? await (await import('../../adapters/forge/actions-runs.js')).createGitHubActionsRuns(client)
      : await (await import('../../adapters/forge/actions-runs-forgejo.js')).createForgejoActionsRuns(client);
  return {
    repo,
    commonDir: repo.info.commonDir,
    remote,
    kind: settings.kind,
    repoRef: { owner: settings.location.owner, name: settings.location.name },
    forge,
    api,
    tokenSource: token?.source,
  };
}
