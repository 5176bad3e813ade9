import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Answers of conditional GETs, kept on disk between runs: the ETag the forge
 * sent and the body it came with. A later run sends `If-None-Match`; a 304
 * costs no rate limit (GitHub) and the body is read from here.
 */
export interface EtagEntry {
  etag: string;
  data: unknown;
}

export interface EtagStore {
  get(key: string): EtagEntry | undefined;
  set(key: string, entry: EtagEntry): void;
}

/** One JSON file per key under `dir`; the key (which may carry a token's hash) is hashed again for the file name. */
export function fileEtagStore(dir: string): EtagStore {
  const file = (key: string) => join(dir, `${createHash('sha256').update(key).digest('hex').slice(0, 40)}.json`);
  return {
    get(key) {
      try {
        const entry = JSON.parse(readFileSync(file(key), 'utf8')) as Partial<EtagEntry>;
        return typeof entry.etag === 'string' ? { etag: entry.etag, data: entry.data } : undefined;
      } catch {
        return undefined;
      }
    },
    set(key, entry) {
      mkdirSync(dir, { recursive: true });
      const target = file(key);
      // written whole, then renamed: a run killed mid-write leaves no half file for the next one to trust
      const temporary = `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(temporary, JSON.stringify(entry));
      renameSync(temporary, target);
    },
  };
}
