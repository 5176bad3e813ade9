import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitFailure, spawnGit } from './process.js';

export type ObjectType = 'blob' | 'tree' | 'commit' | 'tag';

export interface ObjectInfo {
  oid: string;
  type: ObjectType;
  size: number;
}

export interface ObjectData extends ObjectInfo {
  data: Buffer;
}

interface Pending {
  kind: 'info' | 'contents';
  /** where the contents go: a slice of a caller's arena, when given and large enough */
  place?: (size: number) => Buffer | undefined;
  resolve: (value: ObjectData | ObjectInfo | undefined) => void;
  reject: (error: Error) => void;
}

/**
 * One long-lived `git cat-file --batch-command --buffer` for every object read of a
 * run: one process instead of one per object, and requests pipelined so git
 * decompresses the next batch while we scan the current one.
 */
export class ObjectReader {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly pending: Pending[] = [];
  /** a partial header line waiting for the rest */
  private chunks: Buffer[] = [];
  /** the newline that follows an object's contents has not arrived yet */
  private pendingNewline = false;
  private stderr = '';
  private failure: Error | undefined;

  constructor(cwd: string) {
    // a 64 MiB delta-base cache reads a whole history as fast as the default 96 MiB
    // (measured on the benchmark corpus) and keeps git's peak memory 40 MB lower
    this.child = spawnGit(['-c', 'core.deltaBaseCacheLimit=64m', 'cat-file', '--batch-command', '--buffer'], { cwd });
    this.child.stdout.on('data', (chunk: Buffer) => this.receive(chunk));
    this.child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString('utf8')));
    this.child.stdin.on('error', () => {
      // reported through the exit code below
    });
    this.child.on('close', (code) => this.fail(gitFailure(['cat-file'], code, this.stderr)));
    this.child.on('error', (error) => this.fail(error));
  }

  info(oids: readonly string[]): Promise<(ObjectInfo | undefined)[]> {
    return Promise.all(this.request('info', oids)) as Promise<(ObjectInfo | undefined)[]>;
  }

  /**
   * Contents in request order; a missing object yields undefined. With an arena,
   * the objects are laid out in it one after the other (those that do not fit get
   * their own buffer): the caller reuses arenas instead of allocating per object,
   * and must be done with one request's data before reusing its arena.
   */
  contents(oids: readonly string[], arena?: Buffer): Promise<ObjectData | undefined>[] {
    let used = 0;
    const place = arena
      ? (size: number) => {
          if (used + size > arena.length) return undefined;
          used += size;
          return arena.subarray(used - size, used);
        }
      : undefined;
    return this.request('contents', oids, place) as Promise<ObjectData | undefined>[];
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    this.child.stdin.end();
    await closed;
  }

  private request(kind: Pending['kind'], oids: readonly string[], place?: Pending['place']): Promise<ObjectData | ObjectInfo | undefined>[] {
    if (this.failure) return oids.map(() => Promise.reject(this.failure));
    if (oids.some((oid) => /[\n\r]/.test(oid))) throw new Error('object names cannot contain newlines');
    const promises = oids.map(
      (oid) =>
        new Promise<ObjectData | ObjectInfo | undefined>((resolve, reject) => {
          this.pending.push({ kind, resolve, reject, place });
        }),
    );
    if (oids.length > 0) this.child.stdin.write(oids.map((oid) => `${kind} ${oid}\n`).join('') + 'flush\n');
    return promises;
  }

  private fail(error: Error): void {
    if (this.pending.length === 0) return;
    this.failure = error;
    for (const waiting of this.pending.splice(0)) waiting.reject(error);
  }

  /** the object being received: its header, and its bytes as they arrive, copied once into place */
  private body: { info: ObjectInfo; data: Buffer; filled: number } | undefined;

  private receive(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.body) {
        // copy straight into the object's own buffer: one copy, no concatenation
        const take = Math.min(this.body.data.length - this.body.filled, chunk.length - offset);
        chunk.copy(this.body.data, this.body.filled, offset, offset + take);
        this.body.filled += take;
        offset += take;
        if (this.body.filled < this.body.data.length) return;
        const { info, data } = this.body;
        this.body = undefined;
        this.pendingNewline = true;
        this.complete(info, data);
        continue;
      }
      if (this.pendingNewline) {
        // the newline git prints after an object's contents
        offset++;
        this.pendingNewline = false;
        continue;
      }
      const newline = chunk.indexOf(10, offset);
      if (newline === -1) {
        this.chunks.push(chunk.subarray(offset));
        return;
      }
      const head = this.chunks.length ? Buffer.concat([...this.chunks, chunk.subarray(offset, newline)]) : chunk.subarray(offset, newline);
      this.chunks = [];
      offset = newline + 1;
      this.header(head.toString('latin1'));
    }
  }

  private header(line: string): void {
    const waiting = this.pending[0];
    if (!waiting) throw new Error(`unexpected output from git cat-file: ${line.slice(0, 80)}`);
    const parts = line.split(' ');
    if (parts.length !== 3) {
      // `<name> missing` or `<name> ambiguous`
      this.pending.shift();
      waiting.resolve(undefined);
      return;
    }
    const info: ObjectInfo = { oid: parts[0]!, type: parts[1] as ObjectType, size: Number(parts[2]) };
    if (waiting.kind === 'info') {
      this.pending.shift();
      waiting.resolve(info);
      return;
    }
    this.body = { info, data: waiting.place?.(info.size) ?? Buffer.allocUnsafe(info.size), filled: 0 };
    if (info.size === 0) {
      this.body = undefined;
      this.pendingNewline = true;
      this.complete(info, Buffer.alloc(0));
    }
  }

  private complete(info: ObjectInfo, data: Buffer): void {
    const waiting = this.pending.shift()!;
    waiting.resolve({ ...info, data });
  }
}
