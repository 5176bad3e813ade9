import type { Repository } from './repository.js';

/** Never pushed (git pushes no notes unless told to): the mirror's private memory of what it published. */
export const SYNC_NOTES_REF = 'refs/notes/mirror-sync';

export interface PublishedNote {
  /** the public copy of the mirror commit */
  published: string;
  branch: string;
  /** the published branch's tip: commits with the same tip were published together */
  tip: string;
}

export function formatNote(note: PublishedNote): string {
  return `mirror-sync v1\npublished ${note.published}\nbranch ${note.branch}\ntip ${note.tip}\n`;
}

export function parseNote(text: string): PublishedNote | undefined {
  if (!text.startsWith('mirror-sync v1\n')) return undefined;
  const field = (name: string) => new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1];
  const published = field('published');
  const branch = field('branch');
  const tip = field('tip');
  return published && branch && tip ? { published, branch, tip } : undefined;
}

/** Every note on the ref: two git processes whatever the number of notes. */
export async function readNotes(repo: Repository): Promise<Map<string, PublishedNote>> {
  const notes = new Map<string, PublishedNote>();
  const listed = await repo.git(['notes', `--ref=${SYNC_NOTES_REF}`, 'list'], { okCodes: [1, 128] });
  if (listed.code !== 0) return notes;
  const pairs = listed.stdout
    .toString('utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split(' ') as [string, string]);
  if (pairs.length === 0) return notes;
  const reader = repo.objects();
  try {
    const blobs = await Promise.all(reader.contents(pairs.map(([blob]) => blob)));
    pairs.forEach(([, commit], i) => {
      const note = blobs[i] ? parseNote(blobs[i]!.data.toString('utf8')) : undefined;
      if (note) notes.set(commit, note);
    });
  } finally {
    await reader.close();
  }
  return notes;
}

/** Adds or replaces notes in one `git fast-import`, keeping the notes already there. */
export async function writeNotes(repo: Repository, notes: Map<string, PublishedNote>): Promise<void> {
  if (notes.size === 0) return;
  const parent = await repo.commitOf(SYNC_NOTES_REF);
  const message = `mirror sync-up: ${notes.size} commit(s) published\n`;
  const when = Math.floor(Date.now() / 1000);
  const chunks = [
    `commit ${SYNC_NOTES_REF}\n`,
    `committer mirror <mirror@localhost> ${when} +0000\n`,
    `data ${Buffer.byteLength(message)}\n${message}`,
    parent ? `from ${parent}\n` : '',
  ];
  for (const [commit, note] of notes) {
    const text = formatNote(note);
    chunks.push(`N inline ${commit}\ndata ${Buffer.byteLength(text)}\n${text}`);
  }
  chunks.push('\n');
  await repo.git(['fast-import', '--quiet', '--force'], { input: chunks.join('') });
}
