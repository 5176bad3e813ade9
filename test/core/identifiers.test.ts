import { describe, expect, it } from 'vitest';
import { compileIdentifier, findIdentifiers, redactIdentifiers } from '../../src/core/identifiers.js';

describe('private identifiers', () => {
  const acme = compileIdentifier('customer', 'Acme Corp');

  it('reports every line that names an identifier, once per line, with its column', () => {
    const text = 'acme corp here and Acme-Corp there\nnothing\n  ACME_CORP again\n';
    expect(findIdentifiers(text, [acme])).toEqual([
      { label: 'customer', line: 1, column: 1 },
      { label: 'customer', line: 3, column: 3 },
    ]);
  });

  it('respects word boundaries beyond ASCII', () => {
    expect(findIdentifiers('überacme corp, acme corps', [acme])).toEqual([]);
    expect(findIdentifiers('é acme corp.', [acme])).toEqual([{ label: 'customer', line: 1, column: 3 }]);
  });

  it('is reusable: the same compiled identifier finds the same hits twice', () => {
    const text = 'x\nacme corp\n';
    expect(findIdentifiers(text, [acme])).toEqual(findIdentifiers(text, [acme]));
    expect(redactIdentifiers('docs/acme corp/plan.md', [acme])).toBe('docs/[customer]/plan.md');
  });
});
