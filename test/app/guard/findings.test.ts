import { describe, expect, it } from 'vitest';
import { Findings } from '../../../src/app/guard/findings.js';
import { compileIdentifier } from '../../../src/core/identifiers.js';
import { toAnnotations } from '../../../src/report/github.js';
import { toSarif } from '../../../src/report/sarif.js';
import { renderText } from '../../../src/report/text.js';
import { reportOf } from '../../report/fixtures.js';

const acme = compileIdentifier('customer', 'Acme');

describe('private identifiers', () => {
  it('one found in a path is reported with no line or column, in every format', () => {
    const found = new Findings();
    found.identifiers({ kind: 'path', path: 'docs/acme/setup.md' }, 'docs/acme/setup.md', [acme]);
    const [violation] = found.violations;
    expect(violation).toEqual({ type: 'private-identifier', location: { kind: 'path', path: 'docs/acme/setup.md' }, label: 'customer' });
    const report = reportOf(found.violations);
    expect(toSarif(report, '0').runs[0]!.results![0]!.locations![0]!.physicalLocation!.region).toBeUndefined();
    expect(toAnnotations(report)).not.toMatch(/line=|col=/);
    expect(renderText(report)).toMatch(/docs\/acme\/setup\.md\n/);
  });

  it('one found in a file or message keeps its position', () => {
    const found = new Findings();
    found.identifiers({ kind: 'commit-message', commit: 'c'.repeat(40) }, 'fix\nfor Acme', [acme]);
    expect(found.violations[0]).toMatchObject({ line: 2, column: 5 });
  });
});
