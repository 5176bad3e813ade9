import { describe, expect, it } from 'vitest';
import { RawLogParser } from '../../src/adapters/git/log-format.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const M = 'c'.repeat(40);
const Z = '0'.repeat(40);
const blob1 = '1'.repeat(40);
const blob2 = '2'.repeat(40);

/** Output shaped exactly like `git log -z --raw --diff-merges=separate` with mirror's format (captured from git 2.39). */
const IDS = 'Ann Author <ann@example.com>\nCarl Committer <carl@example.com>';
const captured = Buffer.from(
  `\x01${A} \x02${IDS}\x03first\nbody\n\0\n:000000 100644 ${Z} ${blob1} A\0dir/a file\0` +
    `\x01${B} ${A}\x02${IDS}\x03second\n\0\n:100644 100644 ${blob1} ${blob2} M\0dir/a file\0:100644 000000 ${blob2} ${Z} D\0gone\nname\0` +
    `\x01${M} ${A} ${B}\x02${IDS}\x03merge\n\0\n:000000 100644 ${Z} ${blob2} A\0only-in-merge\0` +
    `\x01${M} ${A} ${B}\x02${IDS}\x03merge\n\0\n:100644 100644 ${blob1} ${blob2} R087\0old/ñame\0new/ñame\0` +
    `\x01${B} ${A}\x02${IDS}\x03empty commit\n\0`,
);

describe('RawLogParser', () => {
  it('parses commits, parents, messages and entries, including paths with spaces, newlines and non-ASCII', () => {
    const parser = new RawLogParser();
    const records = [...parser.push(captured), ...parser.end()];
    expect(records.map((record) => record.oid)).toEqual([A, B, M, M, B]);
    expect(records[0]).toMatchObject({ parents: [], message: 'first\nbody\n', identities: IDS });
    expect(records[0]!.entries).toEqual([{ oldMode: '000000', newMode: '100644', oldOid: Z, newOid: blob1, status: 'A', path: 'dir/a file' }]);
    expect(records[1]!.entries.map((entry) => [entry.status, entry.path])).toEqual([['M', 'dir/a file'], ['D', 'gone\nname']]);
    expect(records[2]!.parents).toEqual([A, B]);
    expect(records[3]!.entries[0]).toMatchObject({ status: 'R', fromPath: 'old/ñame', path: 'new/ñame' });
    expect(records[4]!.entries).toEqual([]);
  });

  it('gives the same result whatever the chunk boundaries', () => {
    for (const size of [1, 3, 7, 64]) {
      const parser = new RawLogParser();
      const records = [];
      for (let i = 0; i < captured.length; i += size) records.push(...parser.push(captured.subarray(i, i + size)));
      records.push(...parser.end());
      expect(records.map((record) => record.entries.length)).toEqual([1, 2, 1, 1, 0]);
      expect(records[1]!.entries[1]!.path).toBe('gone\nname');
    }
  });

  it('rejects output it does not understand instead of skipping it', () => {
    const parser = new RawLogParser();
    expect(() => parser.push(Buffer.from('garbage\0'))).toThrow(/unexpected token/);
  });
});
