/**
 * `.gitignore` entries for local secret files: environment files and key material,
 * the same families as the shipped policy's `dotenv` and `key-material` zones.
 * `private/` and `*.local.*` are deliberately absent: the mirror tracks them.
 */

export const GITIGNORE_BEGIN = '# >>> mirror: local secret files (mirror init) >>>';
export const GITIGNORE_END = '# <<< mirror <<<';

export const SECRET_IGNORES: readonly string[] = [
  // environment files; documented templates stay committable
  '.env',
  '.env.*',
  '*.env',
  '!.env.example',
  '!.env.sample',
  '!.env.template',
  '!.env.dist',
  '!.env.schema',
  '!.env.defaults',
  '!*.env.example',
  // private keys, keystores, password databases, credential files
  'id_rsa',
  'id_dsa',
  'id_ecdsa',
  'id_ed25519',
  '*.p12',
  '*.pfx',
  '*.jks',
  '*.keystore',
  '*.ppk',
  '*.kdbx',
  '.npmrc',
  '.pypirc',
  '.netrc',
  '.git-credentials',
];

/** Paths that must be ignored once the entries are in place (doctor checks these with `git check-ignore`). */
export const SECRET_SAMPLES: readonly string[] = [
  '.env',
  '.env.local',
  '.env.production',
  'config/.env',
  'deploy/prod.env',
  'id_rsa',
  'keys/id_ed25519',
  'certs/client.p12',
  'release.keystore',
  'vault.kdbx',
  '.npmrc',
  '.git-credentials',
];

/** Paths the mirror tracks: ignoring them would keep customer files out of the mirror. */
export const TRACKED_SAMPLES: readonly string[] = ['private/notes.md', 'config/settings.local.json', '.env.example'];

export type GitignoreDecision =
  | { action: 'unchanged' }
  | { action: 'create' | 'update'; content: string; added: string[] };

/**
 * Appends the entries the file does not already have, as one marked block.
 * Existing lines are never touched or reordered, so a user's own rules (and
 * negations) keep their meaning; a re-run adds nothing.
 */
export function planGitignore(existing: string | undefined): GitignoreDecision {
  const present = new Set((existing ?? '').split(/\r?\n/).map((line) => line.trim()));
  const missing = SECRET_IGNORES.filter((entry) => !present.has(entry));
  if (missing.length === 0) return { action: 'unchanged' };
  const block = [
    GITIGNORE_BEGIN,
    '# private/ and *.local.* are not ignored: the private mirror tracks them.',
    ...missing,
    GITIGNORE_END,
    '',
  ].join('\n');
  if (existing === undefined) return { action: 'create', content: block, added: missing };
  const separator = existing === '' ? '' : existing.endsWith('\n') ? '\n' : '\n\n';
  return { action: 'update', content: existing + separator + block, added: missing };
}
