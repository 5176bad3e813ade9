/**
 * The part of String the detector reads. A string is one; so is a view of bytes
 * decoded as Latin-1 on demand (src/app/guard/latin1-text.ts), which lets a blob
 * be scanned without turning all of it into a string: only the lines a keyword
 * points at are ever decoded.
 */
export interface TextLike {
  readonly length: number;
  charCodeAt(index: number): number;
  indexOf(search: string, position?: number): number;
  lastIndexOf(search: string, position?: number): number;
  slice(start?: number, end?: number): string;
  startsWith(search: string, position?: number): boolean;
}
