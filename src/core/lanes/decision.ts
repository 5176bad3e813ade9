import type { CostEstimate, ShapeCost } from './cost.js';
import type { WhatIf } from './what-if.js';

export interface DecisionRule {
  /** seconds the p95 queue of the moving jobs must fall by */
  minSaving: number;
  /** most per month the cheapest adequate shape may cost */
  budget: number;
}

export interface Decision {
  answer: 'go' | 'no-go';
  rule: string;
  /** p95 queue of the jobs that matter (the external-safe jobs the what-if moves), before and after, seconds */
  p95Before: number;
  p95After: number;
  saving: number;
  savingMet: boolean;
  /** the cheapest shape that adds capacity; undefined when none does */
  cheapest: ShapeCost | undefined;
  budgetMet: boolean;
  /** which figure crossed or missed which threshold */
  reasons: string[];
  /** what measurement would change the answer */
  wouldChange: string[];
}

const money = (value: number, currency: string) => `${value.toFixed(2)} ${currency}`;

/**
 * Go when moving the external-safe jobs lowers their p95 queue by at least
 * `minSaving` seconds and the cheapest shape that adds capacity (an ephemeral runner
 * on the same hardware does not) costs at most `budget` per month. Pure.
 */
export function decide(whatIf: WhatIf, cost: CostEstimate, rule: DecisionRule): Decision {
  const p95Before = whatIf.movedQueue.before.p95 ?? 0;
  const p95After = whatIf.movedQueue.after.p95 ?? 0;
  const saving = p95Before - p95After;
  const savingMet = whatIf.moved > 0 && saving >= rule.minSaving;
  const adequate = cost.shapes.filter((shape) => shape.addsCapacity).sort((a, b) => a.perMonth - b.perMonth || a.id.localeCompare(b.id));
  const cheapest = adequate[0];
  const budgetMet = cheapest !== undefined && cheapest.perMonth <= rule.budget;
  const c = cost.currency;
  const reasons: string[] = [];
  const wouldChange: string[] = [];
  if (whatIf.moved === 0) {
    reasons.push('no external-safe job runs on the team\'s runners in the window: nothing would move');
    wouldChange.push('a window in which external-safe jobs ran on the team\'s runners');
  } else {
    reasons.push(`p95 queue of the ${whatIf.moved} moving jobs: ${p95Before} s -> ${p95After} s, a saving of ${saving} s, ${savingMet ? 'at least' : 'below'} --min-saving ${rule.minSaving} s`);
    if (!savingMet) wouldChange.push(`a p95 queue of the external-safe jobs above ${rule.minSaving + p95After} s on the current runners (measured ${p95Before} s)`);
  }
  if (cheapest === undefined) {
    reasons.push('no priced shape adds capacity');
    wouldChange.push('a shape in the price book that adds capacity');
  } else {
    reasons.push(`cheapest shape that adds capacity: ${cheapest.name} at ${money(cheapest.perMonth, c)}/month, ${budgetMet ? 'within' : 'over'} --budget ${money(rule.budget, c)}`);
    if (!budgetMet) wouldChange.push(`a budget of at least ${money(cheapest.perMonth, c)}/month, or a cheaper shape`);
  }
  const answer = savingMet && budgetMet ? 'go' : 'no-go';
  return {
    answer,
    rule: `go when the what-if lowers the p95 queue of the external-safe jobs by at least ${rule.minSaving} s and the cheapest shape that adds capacity costs at most ${money(rule.budget, c)} per month; otherwise no-go`,
    p95Before,
    p95After,
    saving,
    savingMet,
    cheapest,
    budgetMet,
    reasons,
    wouldChange,
  };
}
