import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/paths.js';

const isCheckout = existsSync(join(packageRoot, '.git'));

describe('this repository', () => {
  // fake tokens are built from parts at test time, so no token-shaped literal is ever committed
  it.skipIf(!isCheckout)('has no secret anywhere in its history (mirror scan --history)', () => {
    const run = spawnSync(process.execPath, [join(packageRoot, 'bin', 'run.js'), 'scan', '--history', '--format', 'json'], {
      cwd: packageRoot,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const report = JSON.parse(run.stdout);
    expect(report.violations.map((v: { location: unknown; finding?: { ruleId: string } }) => [v.finding?.ruleId, v.location])).toEqual([]);
    expect(run.status).toBe(0);
    expect(report.stats.commits).toBeGreaterThan(0);
  });

  it.skipIf(!isCheckout)('has no secret in its tracked files (mirror scan)', () => {
    // tracked files only: ignored folders such as bench/.work hold third-party corpora
    const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: packageRoot, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
    const run = spawnSync(process.execPath, [join(packageRoot, 'bin', 'run.js'), 'scan', ...tracked, '--format', 'json'], {
      cwd: packageRoot,
      encoding: 'utf8',
    });
    const report = JSON.parse(run.stdout);
    expect(report.violations).toEqual([]);
    expect(report.stats.files).toBe(tracked.length);
    expect(run.status).toBe(0);
  });
});
