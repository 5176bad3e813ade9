import { describe, expect, it } from 'vitest';
import { judgeDrift, POLICY_FILE, type DriftExpectation } from '../../../src/core/fleet/drift.js';
import { renderFiles, resolveInitOptions, withMarker, type InitRequest } from '../../../src/core/init/index.js';

const generated = (request: Partial<InitRequest> = {}) => {
  const resolved = resolveInitOptions({ role: 'mirror', upstreamUrl: 'https://github.com/acme/widgets.git', ...request });
  if (!resolved.ok) throw new Error('bad options');
  return new Map<string, string | undefined>(renderFiles(resolved.options).map((file) => [file.path, file.content]));
};
const SYNC = '.github/workflows/mirror-sync-down.yml';
const EXPERIMENT = '.github/workflows/experiment.yml';
const judge = (files: Map<string, string | undefined>, expect: DriftExpectation = {}, policyHash = 'sha256:aa') => judgeDrift({ forge: 'github', branch: 'main', files, policyHash }, expect);
/** the same file as an older mirror wrote it: another body, its own marker */
const olderTemplate = (text: string) => withMarker(text.split('\n').slice(2).join('\n').replace('timeout-minutes: 30', 'timeout-minutes: 20'));

describe('fleet drift', () => {
  it('a mirror set up with its own flags is not drift: the settings are read back before comparing', () => {
    const files = generated({ schedule: '0 3 * * *', runnerLabels: ['self-hosted', 'gpu'], actionRef: 'acme/mirror-fork@v1.4.0' });
    const report = judge(files, { version: 'v1.4.0' });
    expect(report).toEqual({
      version: 'v1.4.0',
      policy: { hash: 'sha256:aa', expected: undefined },
      workflows: [
        { path: SYNC, state: 'current' },
        { path: EXPERIMENT, state: 'current' },
      ],
      drifted: [],
    });
  });

  it('tells an older template, a hand edit, a missing file and an unreadable one apart', () => {
    const files = generated();
    files.set(SYNC, olderTemplate(files.get(SYNC)!));
    files.set(EXPERIMENT, `${files.get(EXPERIMENT)!}# my change\n`);
    expect(judge(files).workflows.map((w) => w.state)).toEqual(['outdated', 'edited']);
    files.set(EXPERIMENT, undefined);
    files.set(SYNC, 'jobs: [unclosed\n');
    expect(judge(files).drifted).toEqual([`${SYNC}: not valid YAML`, `${EXPERIMENT}: missing`]);
  });

  it('compares version and policy hash only where the fleet pins them; workflows: false skips the workflows', () => {
    const files = generated();
    expect(judge(files, { version: 'v2', policy: 'sha256:bb' }).drifted).toEqual([
      'runs mirror v1, the fleet expects v2',
      'policy sha256:aa… differs from the expected sha256:bb…',
    ]);
    expect(judge(files, { policy: 'sha256:aa' }).drifted).toEqual([]);
    files.delete(POLICY_FILE);
    files.delete(SYNC);
    const report = judge(files, { workflows: false, version: 'v1' }, undefined as unknown as string);
    expect(report.workflows).toEqual([]);
    expect(report.drifted).toEqual(['runs no mirror version the fleet can read (expected v1)', `has no ${POLICY_FILE} (the shipped defaults apply)`]);
  });
});
