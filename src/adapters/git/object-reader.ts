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
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** bytes needed before parsing can make progress: a large object arrives in many chunks */
  private needed = 1;
  private stderr = '';
  private failure: Error | undefined;

  constructor(cwd: string) {
    this.child = spawnGit(['cat-file', '--batch-command', '--buffer'], { cwd });
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

  /** Contents in request order; a missing object yields undefined. */
  contents(oids: readonly string[]): Promise<ObjectData | undefined>[] {
    return this.request('contents', oids) as Promise<ObjectData | undefined>[];
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const closed = new Promise((resolve) => this.child.once('close', resolve));
    this.child.stdin.end();
    await closed;
  }

  private request(kind: Pending['kind'], oids: readonly string[]): Promise<ObjectData | ObjectInfo | undefined>[] {
    if (this.failure) return oids.map(() => Promise.reject(this.failure));
    if (oids.some((oid) => /[\n\r]/.test(oid))) throw new Error('object names cannot contain newlines');
    const promises = oids.map(
      (oid) =>
        new Promise<ObjectData | ObjectInfo | undefined>((resolve, reject) => {
          this.pending.push({ kind, resolve, reject });
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

  private receive(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    if (this.buffered < this.needed) return;
    this.needed = 1;
    for (;;) {
      const head = this.pending[0];
      if (!head) return;
      const buffer = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.buffered);
      this.chunks = [buffer];
      const newline = buffer.indexOf(10);
      if (newline === -1) {
        this.needed = this.buffered + 1;
        return;
      }
      const header = buffer.toString('latin1', 0, newline);
      const parts = header.split(' ');
      if (parts.length !== 3) {
        // `<name> missing` or `<name> ambiguous`
        this.consume(newline + 1);
        this.pending.shift();
        head.resolve(undefined);
        continue;
      }
      const info: ObjectInfo = { oid: parts[0]!, type: parts[1] as ObjectType, size: Number(parts[2]) };
      if (head.kind === 'info') {
        this.consume(newline + 1);
        this.pending.shift();
        head.resolve(info);
        continue;
      }
      const end = newline + 1 + info.size;
      if (this.buffered < end + 1) {
        this.needed = end + 1;
        return;
      }
      const data = Buffer.from(buffer.subarray(newline + 1, end));
      this.consume(end + 1);
      this.pending.shift();
      head.resolve({ ...info, data });
    }
  }

  private consume(bytes: number): void {
    const buffer = this.chunks[0]!;
    const rest = buffer.subarray(bytes);
    this.chunks = rest.length ? [rest] : [];
    this.buffered = rest.length;
  }
}
