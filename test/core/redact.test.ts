import { describe, expect, it } from 'vitest';
import { redactCredentials } from '../../src/core/redact.js';

describe('redactCredentials', () => {
  it('hides user information up to the last @ of the authority', () => {
    expect(redactCredentials('fatal: https://u:p@ss@host/x.git not found')).toBe('fatal: https://***@host/x.git not found');
    expect(redactCredentials('https://u:a@b@c@host')).toBe('https://***@host');
  });

  it('leaves an @ in the path, query or fragment alone', () => {
    expect(redactCredentials('https://host/users/@me?to=a@b#c@d')).toBe('https://host/users/@me?to=a@b#c@d');
    expect(redactCredentials('https://tok@host/@scope/pkg')).toBe('https://***@host/@scope/pkg');
  });

  it('handles several URLs in one text', () => {
    expect(redactCredentials('https://a:b@h1/ and ssh://c:d@e@h2:22/r')).toBe('https://***@h1/ and ssh://***@h2:22/r');
  });
});
