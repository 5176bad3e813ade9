import { describe, expect, it } from 'vitest';
import { toAnnotations } from '../../src/report/github.js';
import { toSarif } from '../../src/report/sarif.js';
import { BLOB, COMMIT, reportOf, secretAt, TAG } from './fixtures.js';

const results = (...violations: Parameters<typeof reportOf>[0]) => toSarif(reportOf(violations), '0.0.0').runs[0]!.results!;

describe('SARIF locations', () => {
  it('a secret in a commit message has a location (code scanning rejects a result without one), naming the commit', () => {
    const [result] = results(secretAt({ kind: 'commit-message', commit: COMMIT }, 'fp1:aa', 2, 7));
    expect(result!.locations).toHaveLength(1);
    expect(result!.locations![0]!.physicalLocation).toEqual({
      artifactLocation: { uri: `.git/mirror/commit/${COMMIT}/message`, uriBaseId: '%SRCROOT%' },
      region: { startLine: 2, startColumn: 7 },
    });
    expect(result!.properties).toMatchObject({ in: 'commit message', commit: COMMIT });
    expect(result!.message.text).toContain(`message of commit ${COMMIT.slice(0, 10)}`);
  });

  it('a secret in a tag message and in a tagged blob have locations too, never a made-up file name', () => {
    const [message, blob] = results(
      secretAt({ kind: 'tag-message', tag: TAG, object: TAG }),
      secretAt({ kind: 'tagged-blob', tag: TAG, blob: BLOB }),
    );
    expect(message!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(`.git/mirror/tag/${TAG}/message`);
    expect(message!.properties).toMatchObject({ in: 'tag message', tag: TAG });
    expect(blob!.locations![0]!.physicalLocation!.artifactLocation!.uri).toBe(`.git/mirror/blob/${BLOB}`);
    expect(blob!.properties).toMatchObject({ in: 'tagged blob', tag: TAG, blob: BLOB });
    expect(JSON.stringify([message, blob])).not.toContain('tagged%20blob');
  });

  it('annotations for a tagged blob carry no file property', () => {
    const out = toAnnotations(reportOf([secretAt({ kind: 'tagged-blob', tag: TAG, blob: BLOB })]));
    expect(out).toMatch(/^::error line=1,col=5,title=/);
    expect(out).toContain(`blob ${BLOB.slice(0, 10)} tagged by ${TAG.slice(0, 10)}`);
  });
});

describe('SARIF rules and results', () => {
  it("a rule's help is generic; each result's message carries its own fix and fingerprint", () => {
    const log = toSarif(reportOf([secretAt({ kind: 'file', path: 'a.txt' }, 'fp1:1111'), secretAt({ kind: 'file', path: 'b.txt' }, 'fp1:2222')]), '0.0.0');
    const [rule] = log.runs[0]!.tool.driver.rules!;
    expect(rule!.help!.text).toContain('ignores');
    expect(rule!.help!.text).not.toMatch(/fp1:/);
    const [a, b] = log.runs[0]!.results!;
    expect(a!.message.text).toContain('fingerprint: fp1:1111');
    expect(b!.message.text).toContain('fingerprint: fp1:2222');
  });
});

describe('SARIF partial fingerprints', () => {
  const fingerprintOf = (result: { partialFingerprints?: Record<string, string> }) => result.partialFingerprints!['mirror/v2'];

  it('the same secret in two files, or two messages, gets two fingerprints; the rule-and-secret one stays a property', () => {
    const [a, b, m1, m2] = results(
      secretAt({ kind: 'blob', path: 'a.txt', blob: BLOB, commit: COMMIT }),
      secretAt({ kind: 'blob', path: 'b.txt', blob: BLOB, commit: COMMIT }),
      secretAt({ kind: 'commit-message', commit: COMMIT }),
      secretAt({ kind: 'commit-message', commit: TAG }),
    );
    expect(new Set([a, b, m1, m2].map((r) => fingerprintOf(r!))).size).toBe(4);
    expect(a!.properties!.fingerprint).toBe('fp1:0123456789abcdef');
  });

  it('the same file in another commit keeps its fingerprint, so the alert follows it across runs', () => {
    const [a, b] = results(secretAt({ kind: 'blob', path: 'a.txt', blob: BLOB, commit: COMMIT }), secretAt({ kind: 'blob', path: 'a.txt', blob: BLOB, commit: TAG }));
    expect(fingerprintOf(a!)).toBe(fingerprintOf(b!));
  });
});
