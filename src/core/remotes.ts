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

/** One remote's effective URLs, as `git remote -v` prints them (`insteadOf` and `pushInsteadOf` applied). */
export interface RemoteUrls {
  name: string;
  fetch: string[];
  push: string[];
}

/**
 * A push is classed by where it really goes: every URL it pushes to (a remote may
 * have several `pushurl`s, and `pushInsteadOf` rewrites), public when any of them is.
 * A remote's name vouches only for its own fetch URL: a `pushurl` elsewhere, or a URL
 * that a remote outside `remotes.private` also uses, is not made private by a name.
 */
export function classifyPush(
  remotes: CompiledRemotes,
  known: readonly RemoteUrls[],
  name: string | undefined,
  urls: readonly string[],
): RemoteClassification {
  const targets = [...new Set(urls)];
  if (targets.length === 0) return classifyRemote(remotes, name, undefined);
  const verdicts = targets.map((url) => classifyPushUrl(remotes, known, name, url, targets.length > 1));
  return verdicts.find((verdict) => verdict.class === 'public') ?? verdicts[0]!;
}

/** A push to a remote (and the URL git names, if any), against every remote's effective URLs. */
export function classifyPushTarget(remotes: CompiledRemotes, known: readonly RemoteUrls[], remote: string | undefined, url?: string): RemoteClassification {
  const pushUrls = remote === undefined ? [] : (known.find((entry) => entry.name === remote)?.push ?? []);
  return classifyPush(remotes, known, remote, url === undefined ? pushUrls : [url, ...pushUrls]);
}

function classifyPushUrl(remotes: CompiledRemotes, known: readonly RemoteUrls[], name: string | undefined, url: string, several: boolean): RemoteClassification {
  const shown = redactUrl(url);
  const label = name === undefined || name === url ? shown : several ? `${name} (push URL ${shown})` : name;
  const canonical = canonicalUrl(url);
  const users = known.filter((remote) => [...remote.fetch, ...remote.push].some((other) => canonicalUrl(other) === canonical));
  const byName = (entries: RemoteEntry[], remote: string) => entries.find((entry) => entry.kind === 'name' && entry.value === remote);
  const urlEntry = (entries: RemoteEntry[]) => entries.find((entry) => entry.kind === 'url' && matches(entry, undefined, url));

  const publicUrl = urlEntry(remotes.public);
  if (publicUrl) return { class: 'public', reason: `${label} pushes to a URL that matches public entry "${publicUrl.value}"` };
  const publicName = name !== undefined && name !== url ? byName(remotes.public, name) : undefined;
  if (publicName) return { class: 'public', reason: `${label} matches public entry "${publicName.value}"` };
  const publicUser = users.find((remote) => byName(remotes.public, remote.name));
  if (publicUser) return { class: 'public', reason: `${label} pushes to the URL of ${publicUser.name}, a public remote` };
  const privateUrl = urlEntry(remotes.private);
  if (privateUrl) return { class: 'private', reason: `${label} matches private entry "${privateUrl.value}"` };

  const strangers = users.filter((remote) => !byName(remotes.private, remote.name));
  const others = strangers.filter((remote) => remote.name !== name);
  if (others.length > 0) {
    return { class: 'public', reason: `${label} pushes to the URL of ${others[0]!.name}, which is not listed under remotes.private, so it is treated as public` };
  }
  const voucher = strangers.length > 0 ? undefined : users.find((remote) => byName(remotes.private, remote.name) && remote.fetch.some((other) => canonicalUrl(other) === canonical));
  if (voucher) {
    const entry = byName(remotes.private, voucher.name)!;
    return { class: 'private', reason: `${label} matches private entry "${entry.value}"` };
  }
  if (name !== undefined && name !== url && byName(remotes.private, name)) {
    return {
      class: 'public',
      reason: `${label} is listed under remotes.private, but this push goes to ${shown}, which is not its fetch URL nor listed under remotes.private, so it is treated as public`,
    };
  }
  return { class: 'public', reason: `${label} is not listed under remotes.private, so it is treated as public` };
}
