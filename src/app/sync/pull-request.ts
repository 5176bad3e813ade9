import { connectForge, openOrUpdatePullRequest, parseRepoUrl } from '../../adapters/forge/index.js';
import type { Repository } from '../../adapters/git/repository.js';
import { ExitCode, MirrorError } from '../../errors.js';
import type { UpContext } from './up-steps.js';

/** A remote's URL as configured (before `insteadOf` rewriting): it names the repository on the forge. */
export async function configuredUrl(repo: Repository, remote: string): Promise<string> {
  const result = await repo.git(['config', '--get', `remote.${remote}.url`], { okCodes: [1] });
  const url = result.stdout.toString('utf8').trim();
  if (!url) throw new MirrorError('no-remote', `there is no remote "${remote}"`, { exitCode: ExitCode.usage });
  return url;
}

/**
 * Opens the pull request into upstream, or updates the one already open for the
 * same branch (so re-running never opens a second). Returns its URL.
 */
export async function openPullRequest(repo: Repository, context: UpContext, text: { title: string; body: string }): Promise<string> {
  const target = await configuredUrl(repo, context.upstreamRemote);
  const connection = await connectForge(target, { apiUrl: context.pullRequest.apiUrl, kind: context.pullRequest.forge });
  let head = context.branch;
  if (context.pushRemote !== context.upstreamRemote) {
    const fork = parseRepoUrl(await configuredUrl(repo, context.pushRemote));
    head = `${fork.owner}:${context.branch}`;
  }
  const { title, body } = text;
  const { pullRequest } = await openOrUpdatePullRequest(connection.forge, connection.repo, { head, base: context.targetBranch, title, body });
  return pullRequest.url;
}
