import { isAbsolute, join, resolve } from 'node:path';
import { MirrorError } from '../../errors.js';
import type { ControlPlace } from './control.js';

/** `--cache DIR`, else `<git dir>/mirror/fleet-cache` of the control checkout; outside git it must be given. */
export function fleetCacheDir(cwd: string, place: ControlPlace, cache: string | undefined): string {
  if (cache) return isAbsolute(cache) ? cache : resolve(cwd, cache);
  if (place.repo) return join(place.repo.info.commonDir, 'mirror', 'fleet-cache');
  throw new MirrorError('fleet-no-cache', 'outside a git checkout, say where the shared fetch cache lives', { suggestions: ['pass --cache DIR'] });
}

/** Where the forge answers' ETags live, beside the cache's objects (never inside the bare repository's own files). */
export const etagDir = (cacheDir: string) => join(cacheDir, 'mirror-etags');
