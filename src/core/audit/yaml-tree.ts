import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node as YamlNode } from 'yaml';
import type { ParseError } from './types.js';

/**
 * A workflow file as plain data that remembers its lines: the classifier needs the
 * values and the evidence's line, nothing else. Aliases and merge keys are resolved
 * (GitHub accepts YAML anchors), keys are strings.
 */
export type YNode = YMap | YSeq | YScalar;

export interface YMap {
  kind: 'map';
  line: number;
  entries: { key: string; line: number; value: YNode }[];
}
export interface YSeq {
  kind: 'seq';
  line: number;
  items: YNode[];
}
export interface YScalar {
  kind: 'scalar';
  line: number;
  value: string | number | boolean | null;
}

export type TreeResult = { ok: true; root: YNode } | { ok: false; errors: ParseError[] };

const MAX_DEPTH = 64;
/** aliases can expand exponentially ("billion laughs"): stop well before that hurts */
const MAX_NODES = 200_000;

/** Pure: text in, a located tree or the YAML errors (with line and column) out. */
export function parseYamlTree(text: string): TreeResult {
  const lineCounter = new LineCounter();
  let doc: Document;
  try {
    doc = parseDocument(text, { lineCounter, merge: true, uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    return { ok: false, errors: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((error) => {
        const pos = error.linePos?.[0];
        const message = (error.message.split('\n')[0] ?? error.message).replace(/ at line \d+, column \d+:?$/, '');
        return { message, line: pos?.line, column: pos?.col };
      }),
    };
  }
  const lineOf = (node: { range?: [number, number, number] | null } | null | undefined, fallback: number) =>
    node?.range ? lineCounter.linePos(node.range[0]).line : fallback;

  let count = 0;
  const convert = (node: unknown, fallbackLine: number, depth: number, resolving: Set<unknown>): YNode => {
    if (depth > MAX_DEPTH) throw new Error('the workflow nests too deeply');
    if (++count > MAX_NODES) throw new Error('the workflow expands to too many values (aliases)');
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (!target || resolving.has(target)) return { kind: 'scalar', line: lineOf(node, fallbackLine), value: null };
      resolving.add(target);
      try {
        // the evidence is where the alias is used, not where the anchor is
        return relocate(convert(target, fallbackLine, depth + 1, resolving), lineOf(node, fallbackLine));
      } finally {
        resolving.delete(target);
      }
    }
    if (isMap(node)) {
      const line = lineOf(node as YamlNode, fallbackLine);
      const entries: YMap['entries'] = [];
      const merged: YMap['entries'] = [];
      for (const pair of node.items) {
        const keyNode = pair.key;
        const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
        // with `merge: true`, a plain `<<` key is the merge symbol
        const keyLine = lineOf(keyNode as YamlNode | null, line);
        const value = convert(pair.value, keyLine, depth + 1, resolving);
        if (isScalar(keyNode) && typeof keyNode.value === 'symbol') {
          // merge key: the merged maps' entries, overridden by the map's own
          for (const source of value.kind === 'seq' ? value.items : [value]) if (source.kind === 'map') merged.push(...source.entries);
          continue;
        }
        entries.push({ key, line: keyLine, value });
      }
      for (const entry of merged) if (!entries.some((own) => own.key === entry.key)) entries.push(entry);
      return { kind: 'map', line, entries };
    }
    if (isSeq(node)) {
      const line = lineOf(node as YamlNode, fallbackLine);
      return { kind: 'seq', line, items: node.items.map((item) => convert(item, line, depth + 1, resolving)) };
    }
    if (isScalar(node)) {
      const value = node.value;
      const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value === null ? value : String(value);
      return { kind: 'scalar', line: lineOf(node, fallbackLine), value: plain };
    }
    return { kind: 'scalar', line: fallbackLine, value: null };
  };

  try {
    return { ok: true, root: convert(doc.contents, 1, 0, new Set()) };
  } catch (error) {
    return { ok: false, errors: [{ message: error instanceof Error ? error.message : String(error) }] };
  }
}

function relocate(node: YNode, line: number): YNode {
  return { ...node, line } as YNode;
}

// ---- small accessors -------------------------------------------------------

export function get(node: YNode | undefined, key: string): YNode | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.value;
}

export function entryLine(node: YNode | undefined, key: string): number | undefined {
  if (node?.kind !== 'map') return undefined;
  return node.entries.find((entry) => entry.key === key)?.line;
}

export function str(node: YNode | undefined): string | undefined {
  if (node?.kind !== 'scalar' || node.value === null) return undefined;
  return String(node.value);
}

export function isNull(node: YNode | undefined): boolean {
  return node === undefined || (node.kind === 'scalar' && node.value === null);
}

/** Every scalar under a node, with its line: where expressions can hide. */
export function* scalars(node: YNode | undefined, path: string[] = []): Generator<{ value: string; line: number; path: string[] }> {
  if (!node) return;
  switch (node.kind) {
    case 'scalar':
      if (node.value !== null) yield { value: String(node.value), line: node.line, path };
      return;
    case 'seq':
      for (const item of node.items) yield* scalars(item, path);
      return;
    case 'map':
      for (const entry of node.entries) yield* scalars(entry.value, [...path, entry.key]);
      return;
  }
}
