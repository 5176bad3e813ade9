/** Credentials embedded in URLs (`https://user:token@host`) anywhere in a text. */
export function redactCredentials(text: string): string {
  return text.replace(/\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi, '$1***@');
}
