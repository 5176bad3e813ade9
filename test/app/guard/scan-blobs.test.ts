import { describe, expect, it } from 'vitest';
import type { ObjectData, ObjectInfo, ObjectReader } from '../../../src/adapters/git/object-reader.js';
import type { Finding } from '../../../src/core/detect/types.js';
import { emptyStats } from '../../../src/core/guard/types.js';
import { compileIdentifier } from '../../../src/core/identifiers.js';
import { Findings } from '../../../src/app/guard/findings.js';
import type { Checks } from '../../../src/app/guard/inspect.js';
import { scanBlobs, scanTag } from '../../../src/app/guard/scan-blobs.js';

/** An object store in memory: what the reader is asked for and what it has. */
function readerOf(objects: Record<string, { type: ObjectData['type']; text: string }>): ObjectReader {
  const data = (oid: string): ObjectData | undefined => {
    const object = objects[oid];
    return object && { oid, type: object.type, size: object.text.length, data: Buffer.from(object.text) };
  };
  return {
    info: async (oids: readonly string[]) => oids.map((oid): ObjectInfo | undefined => data(oid)),
    contents: (oids: readonly string[]) => oids.map(async (oid) => data(oid)),
    close: async () => undefined,
  } as unknown as ObjectReader;
}

/** Reports every line containing SECRET: these tests are about locations, not detection. */
const scanner: Checks['scanner'] = {
  scan: (text) => {
    const line = String(text).split('\n').findIndex((l) => l.includes('SECRET'));
    return line === -1 ? [] : [{ ruleId: 'r', description: 'd', line: line + 1, column: 1, masked: '********', fingerprint: 'fp1:00' } as Finding];
  },
};

const checks = (redaction: Checks['redaction'] = []): Checks => ({
  scanner,
  identifiers: [],
  redaction,
  limits: { maxFileBytes: 1 << 20, oversize: 'warn' },
  policy: [],
});

const TAG = 't'.repeat(40);
const BLOB = 'b'.repeat(40);

describe('scanTag', () => {
  it('a tag pointing at a blob reports the blob by tag and object id, with no made-up path', async () => {
    const reader = readerOf({
      [TAG]: { type: 'tag', text: `object ${BLOB}\ntype blob\ntag v1\n\nrelease\n` },
      [BLOB]: { type: 'blob', text: 'x\nSECRET\n' },
    });
    const found = new Findings();
    await scanTag(reader, TAG, checks(), found, emptyStats());
    expect(found.violations.map((v) => v.location)).toEqual([{ kind: 'tagged-blob', tag: TAG, blob: BLOB }]);
  });
});

describe('scanBlobs errors', () => {
  const acme = compileIdentifier('customer', 'Acme Corp');

  it('a missing object is named by id, its path without private identifiers', async () => {
    const candidate = { oid: BLOB, path: 'clients/acme-corp/keys.txt', mode: '100644' };
    const error = await scanBlobs(readerOf({}), [candidate], checks([acme]), new Findings(), emptyStats()).catch((e: Error) => e);
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(BLOB);
    expect((error as Error).message).toContain('[customer]');
    expect((error as Error).message.toLowerCase()).not.toContain('acme');
  });

  it('an object that vanishes between listing and reading is reported the same way', async () => {
    const reader = readerOf({ [BLOB]: { type: 'blob', text: 'x\n' } });
    reader.contents = (oids) => oids.map(async () => undefined);
    const candidate = { oid: BLOB, path: 'clients/acme-corp/keys.txt', mode: '100644' };
    const error = await scanBlobs(reader, [candidate], checks([acme]), new Findings(), emptyStats()).catch((e: Error) => e);
    expect((error as Error).message).toContain('[customer]');
    expect((error as Error).message.toLowerCase()).not.toContain('acme');
  });
});
