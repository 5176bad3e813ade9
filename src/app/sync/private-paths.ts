import { createZoneMatcher } from '../../core/zones.js';
import type { CompiledPolicy } from '../../policy/compiled.js';

/** The mirror's own configuration and run state never go upstream, even outside the zones. */
export const MIRROR_LOCAL_PREFIX = '.mirror/';

/** What sync treats as private: the policy's zones plus the mirror-local `.mirror/` folder. */
export function privatePathMatcher(policy: CompiledPolicy): (path: string) => boolean {
  const inZone = createZoneMatcher(policy.zones);
  return (path) => path.toLowerCase().startsWith(MIRROR_LOCAL_PREFIX) || inZone(path) !== undefined;
}
