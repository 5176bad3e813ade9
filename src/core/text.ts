/** git's own heuristic: a NUL in the first 8000 bytes makes a blob binary. */
export function isBinary(data: Uint8Array): boolean {
  return data.subarray(0, 8000).indexOf(0) !== -1;
}

const utf8 = new TextDecoder('utf-8');

/**
 * Decodes content for scanning. Invalid UTF-8 becomes U+FFFD, which leaves every
 * ASCII token format intact in latin-1 or mixed-encoding files.
 */
export function decode(data: Uint8Array): string {
  return utf8.decode(data);
}
