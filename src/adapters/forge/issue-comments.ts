import type { ClientOptions } from './common.js';
import type { ForgeKind } from './types.js';

/**
 * Comments on an issue: `POST /repos/{owner}/{repo}/issues/{number}/comments` with
 * `{ body }` on GitHub and on Forgejo/Gitea alike. The only write `mirror audit
 * lanes` makes, and only with --post; it needs issue write permission.
 */
export async function commentOnIssue(kind: ForgeKind, options: ClientOptions, repo: { owner: string; name: string }, issue: number, body: string): Promise<{ url: string | undefined }> {
  if (kind === 'github') {
    const { createOctokitClient } = await import('./octokit-client.js');
    const { octokit } = await createOctokitClient(options);
    const answer = await octokit.rest.issues.createComment({ owner: repo.owner, repo: repo.name, issue_number: issue, body });
    return { url: answer.data.html_url };
  }
  const { createForgejoRequester, encodeSegments } = await import('./forgejo-request.js');
  const requester = createForgejoRequester(options);
  const answer = await requester.call<{ html_url?: string }>('POST', `${encodeSegments(['repos', repo.owner, repo.name, 'issues', String(issue), 'comments'])}`, undefined, { body });
  return { url: answer.data?.html_url };
}
