/** What may be a commit id in a message: 7 to 64 lower-case hex digits. */
const HEX_TOKEN = /\b[0-9a-f]{7,64}\b/g;

/** The distinct hex tokens of messages that could name a commit (checked against the repository by the caller). */
export function hexTokens(messages: Iterable<string>): Set<string> {
  const tokens = new Set<string>();
  for (const message of messages) for (const match of message.matchAll(HEX_TOKEN)) tokens.add(match[0]);
  return tokens;
}

/**
 * The message a commit may carry upstream: configured private trailers removed
 * (`Customer-Ticket: ACME-123`), `cherry picked from` notes dropped, and any id
 * of a commit upstream/main does not have (a mirror commit, a merge of a private
 * branch, a private branch's commit) replaced, since private commit ids must not
 * appear in public.
 */
export function publicMessage(
  message: string,
  options: { privateTrailers: readonly string[]; isPrivateCommitId: (hex: string) => boolean },
): string {
  const trailers = options.privateTrailers.map((key) => key.toLowerCase());
  const lines = message
    .replace(/\r\n/g, '\n')
    .split('\n')
    .filter((line) => {
      const key = /^([A-Za-z][A-Za-z0-9-]*)\s*:/.exec(line)?.[1]?.toLowerCase();
      if (key && trailers.includes(key)) return false;
      return !/^\(cherry picked from commit [0-9a-f]{7,64}\)$/.test(line.trim());
    })
    .map((line) => line.replace(HEX_TOKEN, (hex) => (options.isPrivateCommitId(hex) ? 'a private commit' : hex)));
  return `${lines.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd()}\n`;
}

/** Builds the lookup of private commit ids by prefix (7 or more hex characters). */
export function privateIdLookup(ids: readonly string[]): (hex: string) => boolean {
  const sorted = [...ids].sort();
  return (hex) => {
    if (hex.length < 7) return false;
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (sorted[mid]! < hex) lo = mid + 1;
      else hi = mid;
    }
    return lo < sorted.length && sorted[lo]!.startsWith(hex);
  };
}
