import type { TextLike } from '../../core/detect/text.js';

/**
 * Bytes read as Latin-1 (one character per byte), decoded only where asked: the
 * detector slices the few lines a keyword points at, so a blob is never turned
 * into one big string. Searches are Buffer's native ones.
 */
export class Latin1Text implements TextLike {
  constructor(private readonly bytes: Buffer) {}

  get length(): number {
    return this.bytes.length;
  }

  charCodeAt(index: number): number {
    return index >= 0 && index < this.bytes.length ? this.bytes[index]! : Number.NaN;
  }

  indexOf(search: string, position = 0): number {
    // one character (a line break, mostly) is searched as a byte: Buffer's string search sets up an encoding per call
    if (search.length === 1 && search.charCodeAt(0) < 256) return this.bytes.indexOf(search.charCodeAt(0), Math.max(0, position));
    return this.bytes.indexOf(search, Math.max(0, position), 'latin1');
  }

  lastIndexOf(search: string, position?: number): number {
    if (position !== undefined && position < 0) return search === '' ? 0 : this.bytes.subarray(0, search.length).toString('latin1') === search ? 0 : -1;
    return this.bytes.lastIndexOf(search, position ?? this.bytes.length, 'latin1');
  }

  slice(start = 0, end = this.bytes.length): string {
    const clamp = (at: number) => (at < 0 ? Math.max(0, this.bytes.length + at) : Math.min(at, this.bytes.length));
    const from = clamp(start);
    const to = clamp(end);
    return to > from ? this.bytes.toString('latin1', from, to) : '';
  }

  startsWith(search: string, position = 0): boolean {
    const from = Math.max(0, position);
    return this.bytes.toString('latin1', from, from + search.length) === search;
  }
}
