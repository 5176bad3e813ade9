import type { ChangeEntry } from './types.js';

/** A commit of the range with its change against its first parent (a merge included). */
export interface GraphCommit {
  oid: string;
  parents: readonly string[];
  entries: readonly ChangeEntry[];
}

/** path → blob under a private zone, in one commit's tree */
export type PrivateTree = ReadonlyMap<string, string>;

const isZero = (oid: string) => /^0+$/.test(oid);
/** regular files only: a symlink's blob is a path, a gitlink a commit id */
const isFile = (mode: string) => mode.startsWith('100');

/**
 * The private part of every commit's tree, rebuilt from the log instead of one
 * ls-tree per commit: a commit's tree is its first parent's plus its change. A
 * parent outside the range is upstream's history, whose content is public, so it
 * starts empty. Commits may come in any order; a commit that changes no private path shares its parent's map.
 */
export function privateTrees(commits: readonly GraphCommit[], isPrivatePath: (path: string) => boolean): Map<string, PrivateTree> {
  const trees = new Map<string, PrivateTree>();
  const empty: PrivateTree = new Map();
  for (const commit of topoOrder(commits)) {
    const parent = trees.get(commit.parents[0] ?? '') ?? empty;
    const changes = commit.entries.filter((entry) => isPrivatePath(entry.path) || (entry.fromPath !== undefined && entry.status === 'R' && isPrivatePath(entry.fromPath)));
    if (changes.length === 0) {
      trees.set(commit.oid, parent);
      continue;
    }
    const tree = new Map(parent);
    for (const entry of changes) {
      if (entry.status === 'R' && entry.fromPath) tree.delete(entry.fromPath);
      if (!isPrivatePath(entry.path)) continue;
      if (entry.status === 'D' || isZero(entry.newOid) || !isFile(entry.newMode)) tree.delete(entry.path);
      else tree.set(entry.path, entry.newOid);
    }
    trees.set(commit.oid, tree);
  }
  return trees;
}

/**
 * Private blobs a commit could copy from: those in its own tree and in each of
 * its parents' (blob → a private path holding it).
 */
export function privateBlobsAround(commit: GraphCommit, trees: ReadonlyMap<string, PrivateTree>): Map<string, string> {
  const blobs = new Map<string, string>();
  for (const tree of [trees.get(commit.oid), ...commit.parents.map((parent) => trees.get(parent))]) {
    for (const [path, blob] of tree ?? []) if (!blobs.has(blob)) blobs.set(blob, path);
  }
  return blobs;
}

/**
 * Content compared "up to whitespace": every run of whitespace (line ends
 * included) counts as one space, and leading and trailing whitespace as none, so
 * a copy re-indented, re-wrapped or saved with CRLF is still the same text.
 */
export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/gu, ' ').trim();
}

/** Parents before children, whatever order the two logs came in (both are oldest first on their own). */
export function topoOrder(commits: readonly GraphCommit[]): GraphCommit[] {
  const byOid = new Map(commits.map((commit) => [commit.oid, commit]));
  const done = new Set<string>();
  const ordered: GraphCommit[] = [];
  for (const start of commits) {
    const stack: { commit: GraphCommit; next: number }[] = [{ commit: start, next: 0 }];
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (done.has(top.commit.oid)) {
        stack.pop();
        continue;
      }
      const parent = top.commit.parents[top.next++];
      if (parent === undefined) {
        done.add(top.commit.oid);
        ordered.push(top.commit);
        stack.pop();
      } else if (byOid.has(parent) && !done.has(parent)) stack.push({ commit: byOid.get(parent)!, next: 0 });
    }
  }
  return ordered;
}

