import type { Repository } from '../adapters/git/repository.js';
import { classifyPushTarget, type CompiledRemotes, type RemoteClassification } from '../core/remotes.js';

/**
 * A remote as the guard classes a push to it: by every URL the push goes to, the
 * one git names (the hook's second argument) and all of the remote's effective push
 * URLs, never by its name alone.
 */
export async function classifyTarget(remotes: CompiledRemotes, repo: Repository, remote: string | undefined, url?: string): Promise<RemoteClassification> {
  return classifyPushTarget(remotes, await repo.remoteUrls(), remote, url);
}
