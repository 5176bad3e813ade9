import type { RegexSource } from './detect/types.js';

/** A private zone after compilation: globs turned into case-insensitive regexes. */
export interface CompiledZone {
  name: string;
  description: string;
  include: { glob: string; pattern: RegexSource }[];
  exclude: { glob: string; pattern: RegexSource }[];
}

export interface ZoneHit {
  zone: string;
  glob: string;
}

/**
 * Paths are compared after NFC normalisation: macOS writes decomposed names, Linux
 * keeps whatever it is given, and both spellings must land in the same zone.
 */
export function normalizePath(path: string): string {
  return path.normalize('NFC');
}

export type ZoneMatcher = (path: string) => ZoneHit | undefined;

export function createZoneMatcher(zones: readonly CompiledZone[]): ZoneMatcher {
  const hydrated = zones.map((zone) => ({
    name: zone.name,
    include: zone.include.map((entry) => ({ glob: entry.glob, re: new RegExp(entry.pattern.source, entry.pattern.flags) })),
    exclude: zone.exclude.map((entry) => new RegExp(entry.pattern.source, entry.pattern.flags)),
  }));
  return (path) => {
    const normalized = normalizePath(path);
    for (const zone of hydrated) {
      const hit = zone.include.find((entry) => entry.re.test(normalized));
      if (hit && !zone.exclude.some((re) => re.test(normalized))) return { zone: zone.name, glob: hit.glob };
    }
    return undefined;
  };
}

/**
 * Where a symlink points, relative to the repository root, or undefined when it
 * leaves the repository. A link into a private zone publishes the private file's
 * name (often a customer's) and dangles on the public side.
 */
export function resolveLinkTarget(linkPath: string, target: string): string | undefined {
  if (target.startsWith('/')) return undefined;
  const parts = linkPath.split('/').slice(0, -1);
  for (const segment of target.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join('/');
}
