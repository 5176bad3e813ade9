import type { StructuredCandidate } from './kubernetes.js';
import type { TextLike } from './text.js';

/**
 * Docker client configuration (`~/.docker/config.json`, a Secret's `.dockerconfigjson`):
 * `auths.<registry>.auth` is base64 of `user:password`. Decoded text of that shape has
 * no keyword a rule could key on, so this reads the `"auth"` entries themselves and
 * reports the password, located at the encoded value.
 */
const AUTH_ENTRY = /"auth"\s*:\s*"([A-Za-z0-9+/=_-]{8,})"/g;

export function findDockerAuths(text: TextLike, lineStarts: Iterable<number>, limit = Infinity): StructuredCandidate[] {
  const out: StructuredCandidate[] = [];
  const seen = new Set<number>();
  for (const start of lineStarts) {
    if (out.length >= limit) break;
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    // one-line JSON (`.dockerconfigjson` decoded) puts every registry on the line
    const line = text.slice(start, Math.min(end, start + 64 * 1024));
    AUTH_ENTRY.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = AUTH_ENTRY.exec(line)) !== null && out.length < limit) {
      const valueStart = start + m.index + m[0].length - 1 - m[1]!.length;
      if (seen.has(valueStart)) continue;
      seen.add(valueStart);
      const decoded = decodeAuth(m[1]!);
      if (decoded === undefined) continue;
      out.push({ secret: decoded, secretStart: valueStart, matchStart: start + m.index, matchEnd: start + m.index + m[0].length });
    }
  }
  return out;
}

/** The password of `user:password`, or undefined when the value is not that. */
function decodeAuth(value: string): string | undefined {
  let text: string;
  try {
    text = Buffer.from(value, /[-_]/.test(value) ? 'base64url' : 'base64').toString('utf8');
  } catch {
    return undefined;
  }
  const colon = text.indexOf(':');
  if (colon <= 0) return undefined;
  const password = text.slice(colon + 1);
  if (password === '' || /[\x00-\x1f\x7f\ufffd]/.test(text)) return undefined;
  return password;
}
