import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../src/paths.js';

/**
 * End-to-end tests run the built CLI through real hooks, so the build must exist
 * and be newer than the sources (`npm test` builds first).
 */
export default function setup(): void {
  const entry = join(packageRoot, 'dist', 'pre-push-hook.bundle.js');
  if (!existsSync(entry) || !existsSync(join(packageRoot, 'oclif.manifest.json'))) {
    throw new Error('dist/ is missing: run `npm run build` (npm test does it for you)');
  }
}
