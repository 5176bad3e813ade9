import { describe, expect, it } from 'vitest';
import { compileIdentifier } from '../../src/core/identifiers.js';
import { toMarkdown } from '../../src/report/markdown.js';
import { redactLines, redactReport } from '../../src/core/redact.js';
import { renderText } from '../../src/report/text.js';
import { reportOf } from '../report/fixtures.js';

const acme = compileIdentifier('customer', 'Acme');

describe('report redaction', () => {
  const report = reportOf([], {
    target: {
      description: 'push to acme-mirror (1 ref)',
      remoteClass: 'public',
      remote: { name: 'acme-mirror', url: 'https://git.example.org/acme/app.git', class: 'public', reason: 'acme-mirror is listed under remotes.public' },
      refs: [{ local: 'refs/heads/acme-fix', remote: 'refs/heads/acme-fix', kind: 'new' }],
    },
  });

  it('ref names, the remote name, URL and reason lose identifiers, in every printed field', () => {
    const redacted = redactReport(report, [acme]);
    const printed = [JSON.stringify(redacted), renderText(redacted), toMarkdown(redacted)].join('\n');
    expect(printed.toLowerCase()).not.toContain('acme');
    expect(redacted.target.refs![0]).toEqual({ local: 'refs/heads/[customer]-fix', remote: 'refs/heads/[customer]-fix', kind: 'new' });
    expect(redacted.target.remote).toMatchObject({ name: '[customer]-mirror', class: 'public' });
  });

  it('the root, which SARIF prints as a file URL, loses identifiers too', () => {
    expect(redactReport({ ...report, root: '/work/acme-mirror' }, [acme]).root).toBe('/work/[customer]-mirror');
  });

  it('a report is redacted once: a label containing its own term is not wrapped twice', () => {
    const self = compileIdentifier('acme', 'Acme');
    const once = redactReport(report, [self]);
    expect(redactReport(once, [self]).target.description).toBe('push to [acme]-mirror (1 ref)');
  });

  it('notes beside a report (the CI job\'s) lose identifiers too', () => {
    expect(redactLines(['refs/heads/acme-fix was deleted: a deletion publishes nothing'], [acme])).toEqual([
      'refs/heads/[customer]-fix was deleted: a deletion publishes nothing',
    ]);
  });
});
