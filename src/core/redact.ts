/**
 * Credentials embedded in URLs (`https://user:token@host`) anywhere in a text. The
 * authority runs to the first `/`, `?`, `#` or space, and its user information to
 * the last `@` in it: a password may itself contain `@`.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/?#\s]*@/gi, '$1***@');
}
