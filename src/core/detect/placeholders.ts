import { shannonEntropy } from './entropy.js';

/**
 * False-positive heuristics: values that have a secret's shape but are documentation,
 * placeholders, references to where the real secret lives, or data of another kind.
 *
 * Three strengths, because what is noise for a generic `password = ...` rule can be
 * the real thing for a provider rule (a Heroku API key *is* a UUID, a Datadog key *is*
 * 32 hex digits):
 * - `provider`: only what no real token ever looks like (placeholder words, masks,
 *   template syntax, one repeated character, long alphabetic or numeric runs);
 * - `decoded`: values of a Kubernetes Secret, plus references and non-secret data;
 * - `generic`: everything, including hashes, UUIDs, paths, URLs and code identifiers.
 */
export type HeuristicStrength = 'provider' | 'decoded' | 'generic';

// Substrings that real credentials (random by construction) practically never contain.
// Kept at five characters or more: a random 40-character base62 token contains a given
// case-insensitive 5-character word with probability of about 1e-6.
const PLACEHOLDER_WORDS =
  /example|placeholder|changeme|change[_-]me|replace[_-]?me|redacted|dummy|x{5}|your[_-]?(?:api|app|access|auth|client|key|own|pass|private|secret|token)|insert[_-]?(?:your|key|token|here)|qwerty|asdfgh|\*{3}|\u2022{3}|\.\.\./i;

const TEMPLATE =
  /<[^<>]{1,80}>|\$\{[^}]{0,80}\}|\{\{[^}]{0,80}\}\}|\{%[^%]{0,80}%\}|^%[A-Za-z_][\w.]*%$|^@[A-Za-z_][\w.]*@$|^\$\(.*\)$|^\$[A-Za-z_][A-Za-z0-9_]*$/;

const ENV_REFERENCE =
  /process\.env|import\.meta\.env|os\.environ|os\.getenv|getenv\(|ENV\[|ENV\.fetch|System\.getenv|GetEnvironmentVariable|\$env:|^(?:secrets|vars|env|inputs|steps|needs|matrix|github|settings|config|cfg|conf|options|opts|params|args|props|this|self|ctx|context)\./i;

const HASH =
  /^(?:[a-f0-9]{32}|[a-f0-9]{40}|[a-f0-9]{56}|[a-f0-9]{64}|[a-f0-9]{96}|[a-f0-9]{128}|[A-F0-9]{32}|[A-F0-9]{40}|[A-F0-9]{64})$|^(?:sha(?:1|224|256|384|512)|md5)[-:]|^\$(?:2[abxy]?|5|6|argon2(?:id|i|d)?|pbkdf2[\w-]*|scrypt|y|gy|7)\$/;

const UUID = /^\{?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}?$/i;

const URL_WITHOUT_CREDENTIALS = /^[a-z][a-z0-9+.-]{1,20}:\/\/[^@\s]*$|^data:[a-z]+\/[\w.+-]+[;,]/i;

const NUMERIC = /^[\d.,:+\-/ ]+$/;

const IDENTIFIER =
  /^[a-z]+(?:[_.-][a-z]+)*$|^[A-Z]+(?:[_.-][A-Z]+)*$|^[a-z]+(?:[A-Z][a-z]*)+$|^(?:[A-Z][a-z]+)+$|^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$|^[A-Za-z_$][\w$]*(?:\[[^\]]*\])+$|^[A-Za-z][a-z0-9]*(?:[_.-][A-Za-z][a-z0-9]*)+$/;

const PATH_START = /^(?:~|\.{1,2})?\/|^[A-Za-z]:[\\/]/;
const PATH_BODY = /^(?:~|\.{1,2}|[A-Za-z]:)?(?:[\\/][\w.@~-]{0,64})+$/;

const WORD_VALUES = new Set([
  'true', 'false', 'null', 'none', 'nil', 'undefined', 'empty', 'required', 'optional', 'string',
  'password', 'passwd', 'secret', 'token', 'apikey', 'api_key', 'notset', 'not_set', 'unset', 'disabled',
]);

/**
 * Names that hold something about a secret rather than the secret: its type, its
 * length, where it is, how it is checked, or its public half (a public key or token is
 * published by design). Matched against the end of the assigned name.
 */
const NON_SECRET_NAME =
  /(?:type|name|names|id|ids|length|len|size|count|field|fields|label|url|uri|endpoint|host|file|path|dir|env|var|header|prefix|suffix|format|pattern|regex|policy|hint|prompt|placeholder|input|min|max|ttl|enabled|required|mode|provider|strength|reset|version|kind|algorithm|algo|scope|scopes|expiry|expires|expiration|expires_at|created_at|timeout|lifetime|hash|hashed|digest|salt|rule|rules|validator|validation|regexp|error|errors|message|msg|description|desc|doc|docs|text|title|param|params|parameter|query|(?:continuation|next|page|pagination|sync|csrf|xsrf|cancellation|significant|last|previous|prev|start|end|current|lexer|parser|lookahead)[_.-]?token|public[_.-]?(?:key|token)|publishable[_.-]?key)['"]?$/i;

/** Why a candidate is not a secret, or undefined when it may be one. */
export function falsePositiveReason(
  secret: string,
  strength: HeuristicStrength,
  matchText = '',
): string | undefined {
  if (PLACEHOLDER_WORDS.test(secret)) return 'placeholder';
  if (TEMPLATE.test(secret)) return 'template';
  if (dominantCharacterShare(secret) >= 0.5 && secret.length >= 8) return 'repeated';
  if (isPeriodic(secret)) return 'repeated';
  if (longestSequentialRun(secret) >= 7) return 'sequential';
  if (strength === 'provider') return undefined;

  if (ENV_REFERENCE.test(secret)) return 'reference';
  if (URL_WITHOUT_CREDENTIALS.test(secret)) return 'url';
  if (NUMERIC.test(secret)) return 'numeric';
  if (WORD_VALUES.has(secret.toLowerCase())) return 'word';
  if (strength === 'decoded') return undefined;

  if (HASH.test(secret)) return 'hash';
  if (UUID.test(secret)) return 'uuid';
  if (isPath(secret)) return 'path';
  if (IDENTIFIER.test(secret)) return 'identifier';
  if (/^[A-Za-z_.-]+$/.test(secret) && shannonEntropy(secret) < 4) return 'identifier';
  // The assigned name: a rule anchored at the start of a line matches its indentation
  // and an `export ` or `- ` (YAML list) in front of the name too.
  const name = /^[\w.-]*['"]?/.exec(matchText.replace(/^[\t ]*(?:(?:export|set)[\t ]+|-[\t ]+)?/, ''))![0];
  if (name !== '' && NON_SECRET_NAME.test(name)) return 'name';
  return undefined;
}

function isPath(s: string): boolean {
  if (!PATH_START.test(s) || !PATH_BODY.test(s)) return false;
  const separators = s.split(/[\\/]/).length - 1;
  return separators >= 2 || /\.[A-Za-z0-9]{1,6}$/.test(s);
}

/**
 * One unit written several times (`abcabc`, `hunter2hunter2`): typed by a person, never
 * generated. The prefix function gives the shortest period in linear time.
 */
function isPeriodic(s: string): boolean {
  const n = s.length;
  if (n < 6) return false;
  const prefix = new Int32Array(n);
  for (let i = 1, k = 0; i < n; i++) {
    while (k > 0 && s.charCodeAt(i) !== s.charCodeAt(k)) k = prefix[k - 1]!;
    if (s.charCodeAt(i) === s.charCodeAt(k)) k++;
    prefix[i] = k;
  }
  const period = n - prefix[n - 1]!;
  return period < n && n % period === 0;
}

/** Share of the most frequent character. */
function dominantCharacterShare(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<number, number>();
  let best = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = (counts.get(c) ?? 0) + 1;
    counts.set(c, k);
    if (k > best) best = k;
  }
  return best / s.length;
}

/** Longest run of letters or digits each one above (or each one below) the previous. */
function longestSequentialRun(s: string): number {
  let best = 1;
  let up = 1;
  let down = 1;
  for (let i = 1; i < s.length; i++) {
    const a = s.charCodeAt(i - 1);
    const b = s.charCodeAt(i);
    const sameKind = isAlnum(a) && isAlnum(b) && kind(a) === kind(b);
    up = sameKind && b === a + 1 ? up + 1 : 1;
    down = sameKind && b === a - 1 ? down + 1 : 1;
    best = Math.max(best, up, down);
  }
  return best;
}

function isAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function kind(c: number): number {
  return c <= 57 ? 0 : c <= 90 ? 1 : 2;
}
