import type { Finding } from '../detect/types.js';
import type { RemoteClass } from '../remotes.js';

/** Where something was found: a blob in a commit or a tag, a message, or a file on disk. */
export type Location =
  | { kind: 'blob'; commit?: string; path: string; blob: string }
  | { kind: 'commit-message'; commit: string }
  /** the author and committer names and emails a commit carries */
  | { kind: 'commit-identity'; commit: string }
  | { kind: 'tag-message'; tag: string; object: string }
  /** a tag object's own name and tagger line */
  | { kind: 'tag-identity'; tag: string }
  /** a tag pointing straight at a blob: the blob has no path, so none is made up */
  | { kind: 'tagged-blob'; tag: string; blob: string }
  | { kind: 'file'; path: string }
  /** the name a push gives a ref on the remote; a secret in it is already masked */
  | { kind: 'ref-name'; ref: string }
  | { kind: 'path'; commit?: string; path: string };

export type Violation =
  | { type: 'secret'; location: Location; finding: Finding }
  | {
      type: 'private-path';
      location: Location & { kind: 'path' };
      zone: string;
      glob: string;
      /** added, modified, renamed into, type change, a symlink pointing into the zone, a tree published by a tag */
      change: 'add' | 'modify' | 'rename' | 'type-change' | 'symlink-target' | 'tree';
      entry: 'file' | 'executable' | 'symlink' | 'submodule' | 'tree';
    }
  | { type: 'private-identifier'; location: Location; label: string; line?: number; column?: number }
  | { type: 'oversize'; location: Location; bytes: number; limit: number };

/** Something the user must see that did not refuse the push. */
export type Notice =
  | { type: 'skipped-oversize'; location: Location; bytes: number; limit: number }
  | { type: 'suppressed'; location: Location; finding: Finding }
  /** a secret below the confidence the guard refuses at: reported as a warning */
  | { type: 'low-confidence'; location: Location; finding: Finding };

export interface ScanStats {
  refs: number;
  commits: number;
  blobs: number;
  bytes: number;
  messages: number;
  paths: number;
  binarySkipped: number;
  oversizeSkipped: number;
  files: number;
}

export interface Target {
  /** what was scanned, in words: `push to origin (3 refs)`, `range a..b`, `the index` */
  description: string;
  remote?: { name?: string; url?: string; class: RemoteClass; reason: string };
  /** the class the checks ran for: private paths are only refused toward public */
  remoteClass: RemoteClass;
  refs?: { local: string; remote: string; kind: 'new' | 'update' | 'delete' | 'unchanged' }[];
}

export interface GuardReport {
  target: Target;
  stats: ScanStats;
  violations: Violation[];
  notices: Notice[];
  /** the policy files in force */
  policy: string[];
  /** the directory report paths are relative to (the repository's root), when there is one */
  root?: string;
}

export function emptyStats(): ScanStats {
  return { refs: 0, commits: 0, blobs: 0, bytes: 0, messages: 0, paths: 0, binarySkipped: 0, oversizeSkipped: 0, files: 0 };
}
