/** Nearest-rank percentile (the value at rank ⌈q·n⌉ of the sorted sample): always a measured value, never interpolated. */
export function percentile(values: readonly number[], q: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[rank - 1];
}

export interface Spread {
  count: number;
  p50?: number;
  p95?: number;
  max?: number;
}

export function spread(values: readonly number[]): Spread {
  if (values.length === 0) return { count: 0 };
  return { count: values.length, p50: percentile(values, 0.5)!, p95: percentile(values, 0.95)!, max: Math.max(...values) };
}
