/**
 * `git log -z --raw` with this format prints, per commit (and per parent of a
 * merge with --diff-merges=separate): `\x01<oid> <parents>\x02<author>\n<committer>\x03<message>\0`,
 * then `:<modes> <oids> <status>\0<path>\0` entries (two paths for renames and copies).
 */
export const LOG_FORMAT = '--format=%x01%H %P%x02%an <%ae>%n%cn <%ce>%x03%B';

export const RAW_LOG_ARGS = [
  '-z',
  '--raw',
  '--no-abbrev',
  '--root',
  '--diff-merges=separate',
  '--no-ext-diff',
  '--no-textconv',
  // a submodule set to `ignore` in .gitmodules is still a published entry
  '--ignore-submodules=none',
  '--no-relative',
  '--encoding=UTF-8',
  LOG_FORMAT,
] as const;

export interface RawEntry {
  oldMode: string;
  newMode: string;
  oldOid: string;
  newOid: string;
  /** A, M, D, T, R, C (letter only; rename and copy scores dropped) */
  status: string;
  path: string;
  /** the source path of a rename or copy */
  fromPath?: string;
}

export interface CommitRecord {
  oid: string;
  parents: string[];
  message: string;
  /** `name <email>` of the author, then of the committer, one per line: published with the commit */
  identities: string;
  entries: RawEntry[];
}

/**
 * Parses the stream incrementally so a whole-history log never has to be held in
 * memory. Tokens are NUL-separated; what a token is follows from its position.
 */
export class RawLogParser {
  private partial: Buffer[] = [];
  private current: CommitRecord | undefined;
  /** an entry waiting for its path token(s) */
  private entry: { meta: Omit<RawEntry, 'path'>; paths: string[]; needed: number } | undefined;
  private done: CommitRecord[] = [];

  push(chunk: Buffer): CommitRecord[] {
    let start = 0;
    for (let nul = chunk.indexOf(0); nul !== -1; nul = chunk.indexOf(0, start)) {
      const piece = chunk.subarray(start, nul);
      const token = this.partial.length ? Buffer.concat([...this.partial, piece]) : piece;
      this.partial = [];
      this.token(token);
      start = nul + 1;
    }
    if (start < chunk.length) this.partial.push(Buffer.from(chunk.subarray(start)));
    return this.take();
  }

  end(): CommitRecord[] {
    if (this.partial.length) {
      this.token(Buffer.concat(this.partial));
      this.partial = [];
    }
    if (this.entry) throw new Error('git log output ended inside a raw entry');
    if (this.current) this.done.push(this.current);
    this.current = undefined;
    return this.take();
  }

  private take(): CommitRecord[] {
    const out = this.done;
    this.done = [];
    return out;
  }

  private token(token: Buffer): void {
    if (this.entry) {
      this.entry.paths.push(token.toString('utf8'));
      if (this.entry.paths.length === this.entry.needed) {
        const { meta, paths } = this.entry;
        this.current!.entries.push(paths.length === 2 ? { ...meta, fromPath: paths[0], path: paths[1]! } : { ...meta, path: paths[0]! });
        this.entry = undefined;
      }
      return;
    }
    // a newline separates the message from the first entry and records from each other
    let offset = 0;
    while (offset < token.length && token[offset] === 10) offset++;
    const first = token[offset];
    if (first === 1) {
      this.header(token.subarray(offset + 1));
    } else if (first === 58 /* ':' */) {
      this.meta(token.toString('latin1', offset + 1));
    } else if (offset === token.length) {
      // blank token between records
    } else {
      throw new Error(`unexpected token in git log output: ${JSON.stringify(token.toString('latin1', 0, 40))}`);
    }
  }

  private header(token: Buffer): void {
    if (this.current) this.done.push(this.current);
    const separator = token.indexOf(2);
    const ids = token.toString('latin1', 0, separator === -1 ? token.length : separator).trim().split(' ');
    const end = separator === -1 ? -1 : token.indexOf(3, separator + 1);
    const identities = end === -1 ? '' : token.toString('utf8', separator + 1, end);
    const message = separator === -1 ? '' : token.toString('utf8', end === -1 ? separator + 1 : end + 1);
    this.current = { oid: ids[0]!, parents: ids.slice(1).filter(Boolean), message, identities, entries: [] };
  }

  private meta(text: string): void {
    if (!this.current) throw new Error('raw entry before any commit in git log output');
    const [oldMode, newMode, oldOid, newOid, status] = text.split(' ');
    if (!status) throw new Error(`malformed raw entry in git log output: ${text}`);
    const letter = status[0]!;
    this.entry = {
      meta: { oldMode: oldMode!, newMode: newMode!, oldOid: oldOid!, newOid: newOid!, status: letter },
      paths: [],
      needed: letter === 'R' || letter === 'C' ? 2 : 1,
    };
  }
}
