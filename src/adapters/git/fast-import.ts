/** A commit for git fast-import: identities as git prints them (`Name <email> <epoch> <tz>`). */
export interface ImportCommit {
  author: string;
  committer: string;
  message: string;
  changes: ({ path: string; mode: string; oid: string } | { path: string; delete: true })[];
}

/** fast-import's path syntax: C-style quoted when the path could be misread. */
function quotePath(path: string): string {
  if (!/[\x00-\x1f"\\]/.test(path)) return path;
  const escaped = path.replace(/[\x00-\x1f"\\]/g, (ch) => {
    if (ch === '"' || ch === '\\') return `\\${ch}`;
    if (ch === '\n') return '\\n';
    if (ch === '\t') return '\\t';
    return `\\${ch.charCodeAt(0).toString(8).padStart(3, '0')}`;
  });
  return `"${escaped}"`;
}

/**
 * A fast-import stream writing `commits` in order on `ref`, the first on top of
 * `from`, each from existing objects. It ends with `done`, so a truncated stream
 * is refused rather than half-written.
 */
export function importStream(ref: string, from: string, commits: readonly ImportCommit[]): string {
  const chunks: string[] = [];
  commits.forEach((commit, i) => {
    chunks.push(`commit ${ref}\n`, `author ${commit.author}\n`, `committer ${commit.committer}\n`);
    chunks.push(`data ${Buffer.byteLength(commit.message)}\n${commit.message}\n`);
    if (i === 0) chunks.push(`from ${from}\n`);
    for (const change of commit.changes) {
      chunks.push('delete' in change ? `D ${quotePath(change.path)}\n` : `M ${change.mode} ${change.oid} ${quotePath(change.path)}\n`);
    }
    chunks.push('\n');
  });
  chunks.push('done\n');
  return chunks.join('');
}
