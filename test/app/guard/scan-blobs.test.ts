import { describe, expect, it } from 'vitest';
import { Repository } from '../../../src/adapters/git/repository.js';
import type { Finding } from '../../../src/core/detect/types.js';
import { emptyStats } from '../../../src/core/guard/types.js';
import { compileIdentifier } from '../../../src/core/identifiers.js';
import { Findings } from '../../../src/app/guard/findings.js';
import type { Checks } from '../../../src/app/guard/checks.js';
import { scanBlobs, scanTag } from '../../../src/app/guard/scan-blobs.js';
import { Sandbox } from '../../helpers/sandbox.js';

/** A real repository and its object reader. */
async function repository() {
  const repo = new Sandbox().repo();
  repo.write('README.md', 'x\n').commit('Initial');
  return { repo, reader: (await Repository.open(repo.dir)).objects() };
}

/** Reports every line containing SECRET: these tests are about locations, not detection. */
const scanner: Checks['scanner'] = {
  pathKey: () => '',
  scan: (text) => {
    const line = String(text).split('\n').findIndex((l) => l.includes('SECRET'));
    return line === -1 ? [] : [{ ruleId: 'r', description: 'd', line: line + 1, column: 1, masked: '********', fingerprint: 'fp1:00', confidence: 'high' } as Finding];
  },
};

const checks = (redaction: Checks['redaction'] = []): Checks => ({
  scanner,
  identifiers: [],
  redaction,
  limits: { maxFileBytes: 1 << 20, oversize: 'warn' },
  policy: [],
});

describe('scanTag', () => {
  it('a tag pointing at a blob reports the blob by tag and object id, with no made-up path', async () => {
    const { repo, reader } = await repository();
    repo.write('loose.txt', 'x\nSECRET\n');
    const blob = repo.git('hash-object', '-w', 'loose.txt');
    repo.git('tag', '-a', 'v1', '-m', 'release', blob);
    const tag = repo.git('rev-parse', 'refs/tags/v1');
    const found = new Findings();
    try {
      await scanTag(reader, tag, checks(), found, emptyStats());
    } finally {
      await reader.close();
    }
    expect(found.violations.map((v) => v.location)).toEqual([{ kind: 'tagged-blob', tag, blob }]);
  });
});

describe('scanBlobs errors', () => {
  const acme = compileIdentifier('customer', 'Acme Corp');

  it('a missing object is named by id, its path without private identifiers', async () => {
    const { reader } = await repository();
    const missing = 'b'.repeat(40);
    const candidate = { oid: missing, path: 'clients/acme-corp/keys.txt', mode: '100644' };
    const error = await scanBlobs(reader, [candidate], checks([acme]), new Findings(), emptyStats())
      .catch((e: Error) => e)
      .finally(() => reader.close());
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('[customer]');
    expect((error as Error).message.toLowerCase()).not.toContain('acme');
  });
});
