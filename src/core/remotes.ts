import { redactCredentials } from './redact.js';
import type { RegexSource } from './detect/types.js';

export type RemoteClass = 'public' | 'private';

/** A `remotes:` entry: a plain word is a remote name, anything with `:` or `/` a URL glob. */
export type RemoteEntry = { kind: 'name'; value: string } | { kind: 'url'; value: string; pattern: RegexSource };

export interface CompiledRemotes {
  private: RemoteEntry[];
  public: RemoteEntry[];
}

export interface RemoteClassification {
  class: RemoteClass;
  /** human-readable: which entry decided, or that none did */
  reason: string;
}

export function isUrlEntry(entry: string): boolean {
  return entry.includes(':') || entry.includes('/');
}

/** Removes credentials (`https://user:token@host`) so a URL can be printed. */
export const redactUrl = redactCredentials;

/**
 * One spelling for the many ways to write a remote URL, so a glob such as
 * `github.com/acme/**` matches https, ssh and scp-style URLs alike.
 */
export function canonicalUrl(url: string): string {
  let rest = url.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(rest);
  if (scheme) {
    rest = rest.slice(scheme[0].length);
    if (scheme[1]!.toLowerCase() === 'file') return stripGitSuffix(rest).replace(/^\/+/, '');
    rest = rest.replace(/^[^/@]*@/, '');
    rest = rest.replace(/^([^/:]+):\d+(?=\/|$)/, '$1');
  } else {
    const scp = /^(?:[^@/]+@)?([^:/]+):(?!\/)(.*)$/.exec(rest);
    if (scp) rest = `${scp[1]}/${scp[2]}`;
  }
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  // local paths lose their leading slash so globs stay root-relative like every other glob
  return stripGitSuffix(host.toLowerCase() + path).replace(/^\/+/, '');
}

function stripGitSuffix(path: string): string {
  return path.replace(/\/+$/, '').replace(/\.git$/, '');
}

function matches(entry: RemoteEntry, name: string | undefined, url: string | undefined): boolean {
  if (entry.kind === 'name') return name !== undefined && entry.value === name;
  if (url === undefined) return false;
  return new RegExp(entry.pattern.source, entry.pattern.flags).test(canonicalUrl(url));
}

/**
 * Public wins when both lists match, and a remote in neither list is public: a
 * forgotten entry must cost a refused push, not a leak.
 */
export function classifyRemote(
  remotes: CompiledRemotes,
  name: string | undefined,
  url: string | undefined,
): RemoteClassification {
  const label = name ?? (url ? redactUrl(url) : 'the remote');
  const publicEntry = remotes.public.find((entry) => matches(entry, name, url));
  if (publicEntry) return { class: 'public', reason: `${label} matches public entry "${publicEntry.value}"` };
  const privateEntry = remotes.private.find((entry) => matches(entry, name, url));
  if (privateEntry) return { class: 'private', reason: `${label} matches private entry "${privateEntry.value}"` };
  return { class: 'public', reason: `${label} is not listed under remotes.private, so it is treated as public` };
}
