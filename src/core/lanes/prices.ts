/**
 * Runner shapes and their prices, as `mirror audit lanes` reads them from a data
 * file (data/lane-prices.yml or --prices FILE): raw -> validated, errors as data
 * naming the field, so a bad figure is a usage error and never a silent zero.
 */

export const BILLING = ['per-minute', 'per-second', 'fixed-monthly', 'marginal-zero'] as const;
export type Billing = (typeof BILLING)[number];
export const BURDEN_ITEMS = ['upgrades', 'osPatches', 'tokenRotation', 'imageCaching', 'monitoring'] as const;
export type BurdenItem = (typeof BURDEN_ITEMS)[number];

export interface RunnerShape {
  id: string;
  name: string;
  billing: Billing;
  /** per minute for per-minute and per-second billing; per month for fixed-monthly */
  price: number;
  /** false: it runs on the capacity the slow jobs already wait for */
  addsCapacity: boolean;
  read: string;
  source: string;
  /** hours per month to keep it up */
  burden: Record<BurdenItem, number>;
}

export interface PriceBook {
  currency: string;
  shapes: RunnerShape[];
}

export interface PriceError {
  field: string;
  message: string;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const nonNegative = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value) && value >= 0;

export function validatePriceBook(raw: unknown): { book: PriceBook } | { errors: PriceError[] } {
  const errors: PriceError[] = [];
  if (!isObject(raw)) return { errors: [{ field: '(top level)', message: 'must be a mapping with currency and shapes' }] };
  if (typeof raw.currency !== 'string' || raw.currency.trim() === '') errors.push({ field: 'currency', message: 'must be a currency code such as USD' });
  if (!Array.isArray(raw.shapes) || raw.shapes.length === 0) {
    errors.push({ field: 'shapes', message: 'must be a non-empty list of runner shapes' });
    return { errors };
  }
  const shapes: RunnerShape[] = [];
  const seen = new Set<string>();
  raw.shapes.forEach((entry: unknown, index: number) => {
    const at = (field: string) => `shapes[${index}].${field}`;
    if (!isObject(entry)) {
      errors.push({ field: `shapes[${index}]`, message: 'must be a mapping' });
      return;
    }
    const before = errors.length;
    for (const field of ['id', 'name', 'source'] as const) {
      if (typeof entry[field] !== 'string' || (entry[field] as string).trim() === '') errors.push({ field: at(field), message: 'must be a non-empty string' });
    }
    if (typeof entry.id === 'string') {
      if (seen.has(entry.id)) errors.push({ field: at('id'), message: `"${entry.id}" appears twice` });
      seen.add(entry.id);
    }
    const read = entry.read instanceof Date ? entry.read.toISOString().slice(0, 10) : entry.read;
    if (typeof read !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(read) || Number.isNaN(Date.parse(read))) errors.push({ field: at('read'), message: 'must be the date the price was read, YYYY-MM-DD' });
    if (!BILLING.includes(entry.billing as Billing)) errors.push({ field: at('billing'), message: `must be one of ${BILLING.join(', ')}` });
    if (!nonNegative(entry.price)) errors.push({ field: at('price'), message: 'must be a number, 0 or more' });
    if (typeof entry.addsCapacity !== 'boolean') errors.push({ field: at('addsCapacity'), message: 'must be true or false' });
    const burden: Partial<Record<BurdenItem, number>> = {};
    if (!isObject(entry.burden)) errors.push({ field: at('burden'), message: `must be a mapping of ${BURDEN_ITEMS.join(', ')} to hours per month` });
    else {
      for (const item of BURDEN_ITEMS) {
        if (!nonNegative(entry.burden[item])) errors.push({ field: at(`burden.${item}`), message: 'must be hours per month, 0 or more' });
        else burden[item] = entry.burden[item];
      }
      for (const key of Object.keys(entry.burden)) if (!BURDEN_ITEMS.includes(key as BurdenItem)) errors.push({ field: at(`burden.${key}`), message: `unknown item (known: ${BURDEN_ITEMS.join(', ')})` });
    }
    if (errors.length === before) {
      shapes.push({ id: entry.id as string, name: entry.name as string, billing: entry.billing as Billing, price: entry.price as number, addsCapacity: entry.addsCapacity as boolean, read: read as string, source: entry.source as string, burden: burden as Record<BurdenItem, number> });
    }
  });
  return errors.length > 0 ? { errors } : { book: { currency: (raw.currency as string).trim(), shapes } };
}
