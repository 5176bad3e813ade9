import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import type { ErrorDetail } from '../errors.js';
import { fleetSchemaFile } from '../paths.js';
import { parsePolicy, type ParsedPolicy } from '../policy/parse.js';
import { checkAgainst } from '../policy/schema.js';
import type { DriftExpectation } from '../core/fleet/drift.js';
import type { Fleet, FleetMirror } from './types.js';

export type FleetResult = { ok: true; fleet: Fleet } | { ok: false; errors: ErrorDetail[] };

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  validator ??= new Ajv({ allErrors: true, verbose: true, strict: false }).compile(JSON.parse(readFileSync(fleetSchemaFile, 'utf8')) as object);
  return validator;
}

interface RawMirror {
  name: string;
  url: string;
  forge: FleetMirror['forge'];
  apiUrl?: string;
  defaultBranch?: string;
  labels?: string[];
  expect?: DriftExpectation;
}
interface RawFleet {
  expect?: DriftExpectation;
  upstream: { url: string; branch?: string; forge?: FleetMirror['forge']; apiUrl?: string };
  mirrors: RawMirror[];
}

/** The fleet file's text → a validated fleet, or every error with its file, line and field. */
export function parseFleet(file: string, text: string): FleetResult {
  const parsed = parsePolicy({ file, text });
  if (!parsed.ok) return parsed;
  const raw = parsed.parsed.data as RawFleet;
  const errors = [...checkAgainst(getValidator(), parsed.parsed, { branches: false }), ...duplicateNames(parsed.parsed, raw)];
  if (errors.length > 0) return { ok: false, errors };
  const branch = raw.upstream.branch ?? 'main';
  return {
    ok: true,
    fleet: {
      file,
      upstream: { url: raw.upstream.url, branch, ...(raw.upstream.forge ? { forge: raw.upstream.forge } : {}), ...(raw.upstream.apiUrl ? { apiUrl: raw.upstream.apiUrl } : {}) },
      mirrors: raw.mirrors.map((mirror) => ({
        name: mirror.name,
        url: mirror.url,
        forge: mirror.forge,
        apiUrl: mirror.apiUrl,
        defaultBranch: mirror.defaultBranch ?? branch,
        labels: mirror.labels ?? [],
        ...(raw.expect || mirror.expect ? { expect: { ...raw.expect, ...mirror.expect } } : {}),
      })),
    },
  };
}

export function readFleet(file: string): FleetResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, errors: [{ file, message: `cannot read the fleet file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` }] };
  }
  return parseFleet(file, text);
}

/** Two mirrors with one name would share a ref namespace in the cache: the second would overwrite the first's facts. */
function duplicateNames(parsed: ParsedPolicy, raw: RawFleet): ErrorDetail[] {
  const first = new Map<string, number>();
  const errors: ErrorDetail[] = [];
  if (!Array.isArray(raw?.mirrors)) return errors;
  raw.mirrors.forEach((mirror, index) => {
    if (typeof mirror?.name !== 'string') return;
    const seen = first.get(mirror.name);
    if (seen === undefined) first.set(mirror.name, index);
    else errors.push({ file: parsed.source.file, ...parsed.locate(['mirrors', index, 'name']), field: `mirrors[${index}].name`, message: `"${mirror.name}" is already the name of mirrors[${seen}]` });
  });
  return errors;
}

/** Mirrors carrying every one of the labels asked for (none asked: all of them). */
export function selectMirrors(mirrors: readonly FleetMirror[], labels: readonly string[]): FleetMirror[] {
  return mirrors.filter((mirror) => labels.every((label) => mirror.labels.includes(label)));
}
