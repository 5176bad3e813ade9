import type { RemoteUrls } from '../../core/remotes.js';

/** `git remote -v`: `<name>\t<url> (fetch|push)` per line, several push lines for several `pushurl`s. */
export function parseRemoteVerbose(output: string): RemoteUrls[] {
  const byName = new Map<string, RemoteUrls>();
  for (const line of output.split('\n')) {
    const match = /^([^\t]+)\t(.*) \((fetch|push)\)$/.exec(line);
    if (!match) continue;
    const [, name, url, kind] = match as unknown as [string, string, string, 'fetch' | 'push'];
    const remote = byName.get(name) ?? { name, fetch: [], push: [] };
    byName.set(name, remote);
    if (!remote[kind].includes(url)) remote[kind].push(url);
  }
  return [...byName.values()];
}
