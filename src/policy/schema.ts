import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { ErrorDetail } from '../errors.js';
import { policySchemaFile } from '../paths.js';
import { closest, fieldName } from './fields.js';
import type { ParsedPolicy } from './parse.js';

let validator: ValidateFunction | undefined;

function getValidator(): ValidateFunction {
  if (!validator) {
    const schema = JSON.parse(readFileSync(policySchemaFile, 'utf8')) as object;
    validator = new Ajv({ allErrors: true, verbose: true, strict: false }).compile(schema);
  }
  return validator;
}

/** Schema errors as data, each with the file, line and field it is about. */
export function checkSchema(parsed: ParsedPolicy): ErrorDetail[] {
  return checkAgainst(getValidator(), parsed);
}

/** The same errors-as-data for any YAML file read by `parsePolicy` (the fleet file too). */
export function checkAgainst(validate: ValidateFunction, parsed: ParsedPolicy, options: { branches?: boolean } = {}): ErrorDetail[] {
  if (validate(parsed.data)) return [];
  // without oneOf/anyOf branches every error is about what was written: keep them all
  const errors = options.branches === false ? dedupe(validate.errors ?? []) : mostSpecific(validate.errors ?? []);
  return mergeTypeErrors(errors.map((error) => toDetail(parsed, error)));
}

/** "must be a list" and "must be object" from two `oneOf` branches say one thing. */
function mergeTypeErrors(details: ErrorDetail[]): ErrorDetail[] {
  const out: ErrorDetail[] = [];
  for (const detail of details) {
    const twin = out.find((other) => other.field === detail.field && /^must be /.test(other.message) && /^must be /.test(detail.message));
    if (twin) twin.message = `${twin.message} or ${detail.message.replace(/^must be /, '')}`;
    else out.push({ ...detail });
  }
  return out.map((detail) => ({ ...detail, message: detail.message.replace('must be a list or object', 'must be a list, or { add, remove }') }));
}

function segmentsOf(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

/**
 * `oneOf` reports every branch's complaint; the deepest ones are about what the
 * user actually wrote, the shallower ones only say "it was not the other shape".
 */
function mostSpecific(errors: ErrorObject[]): ErrorObject[] {
  const useful = errors.filter((error) => error.keyword !== 'oneOf' && error.keyword !== 'anyOf' || errors.length === 1);
  const kept = useful.filter(
    (error) => !useful.some((other) => other !== error && other.instancePath.startsWith(`${error.instancePath}/`)),
  );
  return dedupe(kept);
}

function dedupe(errors: ErrorObject[]): ErrorObject[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const key = `${error.instancePath}|${error.keyword}|${JSON.stringify(error.params)}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function toDetail(parsed: ParsedPolicy, error: ErrorObject): ErrorDetail {
  const path = segmentsOf(error.instancePath);
  const file = parsed.source.file;
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    const suggestion = closest(key, allowed);
    const where = parsed.locate([...path, key], true);
    return {
      file,
      ...where,
      field: fieldName([...path, key]),
      message:
        `unknown key "${key}"` +
        (suggestion ? ` (did you mean "${suggestion}"?)` : allowed.length ? ` (expected one of: ${allowed.join(', ')})` : ''),
    };
  }
  const where = parsed.locate(path);
  let message = error.message ?? 'is invalid';
  if (error.keyword === 'enum') {
    message = `must be one of: ${((error.params as { allowedValues: unknown[] }).allowedValues ?? []).join(', ')}`;
  } else if (error.keyword === 'type' && (error.params as { type: string }).type === 'array') {
    message = 'must be a list';
  } else if (error.keyword === 'anyOf' && path.length >= 2 && path[0] === 'rules') {
    message = 'needs a "regex" or a "detector"';
  }
  return { file, ...where, field: fieldName(path), message };
}
