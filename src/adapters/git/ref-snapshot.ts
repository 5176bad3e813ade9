import type { Repository } from './repository.js';

/** The refs under some prefixes, as they were: what a run's abort puts back exactly. */
export interface RefSnapshot {
  prefixes: string[];
  values: Record<string, string>;
}

export async function snapshotRefs(repo: Repository, prefixes: string[]): Promise<RefSnapshot> {
  const values: Record<string, string> = {};
  if (prefixes.length === 0) return { prefixes, values };
  for (const line of (await repo.text(['for-each-ref', '--format=%(objectname) %(refname)', ...prefixes])).split('\n')) {
    if (!line) continue;
    const space = line.indexOf(' ');
    values[line.slice(space + 1)] = line.slice(0, space);
  }
  return { prefixes, values };
}

/** Refs under the prefixes become exactly what the snapshot holds: changed ones reset, new ones deleted, in one transaction. */
export async function restoreRefs(repo: Repository, snapshot: RefSnapshot): Promise<void> {
  const now = await snapshotRefs(repo, snapshot.prefixes);
  const commands: string[] = [];
  // -z: `<verb> SP <ref> NUL <new> NUL <old> NUL`; an empty old value means "whatever it is"
  for (const [ref, oid] of Object.entries(now.values)) if (!(ref in snapshot.values)) commands.push(`delete ${ref}\0${oid}\0`);
  for (const [ref, oid] of Object.entries(snapshot.values)) if (now.values[ref] !== oid) commands.push(`update ${ref}\0${oid}\0\0`);
  if (commands.length === 0) return;
  await repo.git(['update-ref', '--stdin', '-z'], { input: commands.join('') });
}
