/**
 * The forge adapters' public surface. Importing it is cheap: Octokit is loaded
 * only when a GitHub forge is created.
 */
export type * from './types.js';
export {
  connectForge,
  createForge,
  ghAuthToken,
  parseRepoUrl,
  resolveApiUrl,
  resolveForgeSettings,
  resolveKind,
  resolveToken,
  tokenVariables,
  FORGE_HINTS,
  type ForgeConnection,
  type ForgeOptions,
  type ForgeSettings,
  type RepoLocation,
  type TokenChoice,
} from './connect.js';
export { openOrUpdatePullRequest, type PullRequestOutcome } from './pull-requests.js';
export { DEFAULT_RETRY, ForgeError, isForgeError, retryPolicyFromEnv, type RetryPolicy } from './http.js';
export type { ClientOptions } from './common.js';
