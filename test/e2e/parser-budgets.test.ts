import { describe, expect, it } from 'vitest';
import { randomFrom } from '../helpers/tokens.js';
import { mirrorWorld } from '../helpers/world.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const b64 = (s: string) => Buffer.from(s).toString('base64');

/**
 * A ~1.5 MB manifest of many Secret documents: small ones, and one huge one (over
 * the structured reader's per-document budget) made of short entries, the shape
 * that once overflowed the stack. Real values hide in a small document and deep
 * inside the huge one; both must be found, through the hook, with exit 1 not 70.
 */
function largeManifest(first: string, deep: string): { text: string; firstLine: number; deepLine: number } {
  const lines: string[] = [];
  const doc = (name: string, entries: string[]) => {
    lines.push('---', 'apiVersion: v1', 'kind: Secret', 'metadata:', `  name: ${name}`, 'type: Opaque', 'data:');
    for (const entry of entries) lines.push(entry);
  };
  for (let i = 0; i < 200; i++) doc(`small-${i}`, [`  flag: ${b64('on')}`]);
  doc('app', [`  api-key: ${b64(first)}`]);
  const firstLine = lines.length;
  const short: string[] = [];
  for (let i = 0; i < 150_000; i++) short.push('  k: YWJj');
  short.push(`  db-password: ${b64(deep)}`);
  doc('generated', short);
  const deepLine = lines.length;
  return { text: lines.join('\n') + '\n', firstLine, deepLine };
}

describe('parsers are bounded: a huge manifest is scanned, never a crash', () => {
  it('refuses a push of a 1.5 MB Secret manifest with the values it holds, exit 1 (not a stack overflow)', () => {
    const world = mirrorWorld();
    const first = `pk-${randomFrom(BASE62, 28)}`;
    const deep = `pw-${randomFrom(BASE62, 28)}`;
    const manifest = largeManifest(first, deep);
    expect(manifest.text.length).toBeGreaterThan(1_400_000);
    world.repo.write('deploy/secrets.yaml', manifest.text).commit('Deploy secrets');
    const push = world.push('upstream', 'main');
    const out = push.stdout + push.stderr;
    expect(out).not.toMatch(/unexpected error|Maximum call stack/);
    expect(push.code).not.toBe(0);
    expect(out).toContain(`deploy/secrets.yaml:${manifest.firstLine}:`);
    expect(out).toContain(`deploy/secrets.yaml:${manifest.deepLine}:`);
    expect(out).not.toContain(first);
    expect(out).not.toContain(deep);
    expect(world.repo.tryGit('ls-remote', world.upstream).stdout).toBe('');

    const range = world.repo.mirror(['guard', 'range', 'HEAD', '--format', 'json']);
    expect(range.code).toBe(1);
    const report = JSON.parse(range.stdout) as { violations: { finding?: { ruleId: string; line: number } }[] };
    const k8s = report.violations.filter((v) => v.finding?.ruleId === 'kubernetes-secret').map((v) => v.finding!.line);
    expect(k8s).toEqual(expect.arrayContaining([manifest.firstLine, manifest.deepLine]));
  });
});
