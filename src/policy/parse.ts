import { isMap, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { ErrorDetail } from '../errors.js';
import type { PolicySource } from './types.js';

export interface ParsedPolicy {
  source: PolicySource;
  data: unknown;
  /** where a JSON path (`['rules', 3, 'regex']`) sits in the file */
  locate: (path: readonly (string | number)[], key?: boolean) => { line: number; column: number } | undefined;
}

export type ParseResult = { ok: true; parsed: ParsedPolicy } | { ok: false; errors: ErrorDetail[] };

export function parsePolicy(source: PolicySource): ParseResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source.text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = lineCounter.linePos(error.pos[0]);
        return { file: source.file, line: pos.line, column: pos.col, message: `YAML: ${firstLine(error.message)}` };
      }),
    };
  }
  const data = doc.toJS() ?? {};
  return {
    ok: true,
    parsed: {
      source,
      data,
      locate: (path, key = false) => {
        const offset = offsetOf(doc, path, key);
        if (offset === undefined) return undefined;
        const pos = lineCounter.linePos(offset);
        return { line: pos.line, column: pos.col };
      },
    },
  };
}

function firstLine(message: string): string {
  return message.split('\n')[0] ?? message;
}

/** The offset of the deepest node that exists on the path; with `key`, of the last key itself. */
function offsetOf(doc: Document, path: readonly (string | number)[], key: boolean): number | undefined {
  let node: unknown = doc.contents;
  let offset = rangeStart(node);
  for (const [index, segment] of path.entries()) {
    if (isMap(node)) {
      const pair = node.items.find((item) => keyText(item.key) === String(segment));
      if (!pair) return offset;
      if (key && index === path.length - 1) return rangeStart(pair.key) ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      node = node.items[segment];
    } else {
      return offset;
    }
    offset = rangeStart(node) ?? offset;
  }
  return offset;
}

function keyText(key: unknown): string | undefined {
  if (key && typeof key === 'object' && 'value' in key) return String((key as { value: unknown }).value);
  return typeof key === 'string' ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | undefined)?.range;
  return range ? range[0] : undefined;
}
