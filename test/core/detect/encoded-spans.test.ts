/** The hand-written span finders find what the regular expressions they replace would find. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase64, decodeHex, mayDecodeToText } from '../../../src/core/detect/decode.js';
import { base64Runs, codesOf, escapeRuns, percentRuns } from '../../../src/core/detect/encoded-spans.js';

// the expressions decode.ts used before the loops; slow on long texts, exact on short ones
const BASE64_RUN = /[A-Za-z0-9+/_-]{20,}={0,2}/g;
const PERCENT_RUN = /[\w.~+=:@!$&*,;/-]*(?:%[0-9A-Fa-f]{2}[\w.~+=:@!$&*,;/-]*){2,}/g;
const ESCAPE_RUN =
  /(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[/"'\\bfnrt]|[^\s"'`\\])*(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\\/)(?:\\u[0-9A-Fa-f]{4}|\\x[0-9A-Fa-f]{2}|\\[/"'\\bfnrt]|[^\s"'`\\])*/g;

// what decode.ts would try to decode: hex of 16 bytes or more, or base64 mixing cases and digits
const couldBeText = (run: string) => (/^[0-9a-fA-F]+$/.test(run) && run.length >= 32) || (/[a-z]/.test(run) && /[A-Z]/.test(run) && /[0-9]/.test(run));

function regexSpans(re: RegExp, text: string): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const m of text.matchAll(re)) if (m[0].length > 0) out.push([m.index, m.index + m[0].length]);
  return out;
}

// texts built from the pieces that matter: alphabet characters, separators, padding, escapes
const piece = fc.constantFrom('a', 'Z', '7', '+', '/', '-', '_', '=', '.', ' ', '\n', '"', "'", '`', '%', '%4', '%41', '%zz', 'q'.repeat(19), 'AbC1'.repeat(6), 'ab12'.repeat(8), 'c0ffee'.repeat(3), '\\u002f', '\\x41', '\\/', '\\n', '\\"', '\\q', '\\u00', ':', '@', '\t', '\u00a0', 'é');
const texts = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(''));

describe('encoded span finders', () => {
  it('base64 runs are the regular expression\'s matches that could decode to text', () => {
    fc.assert(fc.property(texts, (text) => {
        expect(base64Runs(codesOf(text))).toEqual(regexSpans(BASE64_RUN, text).filter(([s, e]) => couldBeText(text.slice(s, e))));
      }), { numRuns: 2000 });
  });

  it('percent runs are the regular expression\'s matches', () => {
    fc.assert(fc.property(texts, (text) => {
        expect(percentRuns(codesOf(text))).toEqual(regexSpans(PERCENT_RUN, text));
      }), { numRuns: 2000 });
  });

  // `\\u0041` is a backslash then text: the expression, retrying inside the run, would take `\u0041` from it
  it('escape runs are the regular expression\'s matches where no backslash is itself escaped', () => {
    fc.assert(
      fc.property(
        texts.filter((t) => !t.includes('\\\\')),
        (text) => {
          expect(escapeRuns(codesOf(text))).toEqual(regexSpans(ESCAPE_RUN, text));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('finds the runs in a line of JSON and a URL', () => {
    const json = '{"url":"https:\\/\\/example.org\\/a","n":1}';
    expect(escapeRuns(codesOf(json)).map(([s, e]) => json.slice(s, e))).toEqual(['https:\\/\\/example.org\\/a']);
    const url = 'see https://h.example/p?q=a%20b%2Fc&x=1 now';
    expect(percentRuns(codesOf(url)).map(([s, e]) => url.slice(s, e))).toEqual(['q=a%20b%2Fc&x=1']);
  });
});

describe('the pre-decoding probe', () => {
  // base64/hex of bytes that are mostly text with a few control characters, or random: the probe may only drop what decoding drops
  const bytes = fc.array(fc.oneof(fc.integer({ min: 32, max: 126 }), fc.integer({ min: 0, max: 255 }), fc.constantFrom(9, 10, 13, 0, 127)), { minLength: 12, maxLength: 120 });
  const runs = fc.tuple(bytes, fc.constantFrom('base64', 'base64url', 'hex' as const)).map(([b, enc]) => Buffer.from(b).toString(enc));

  it('never drops a run that decodeBase64 or decodeHex would accept', () => {
    let dropped = 0;
    fc.assert(
      fc.property(runs, (run) => {
        if (mayDecodeToText(codesOf(run), 0, run.length)) return;
        dropped++;
        const decoded = /^[0-9a-fA-F]+$/.test(run) ? decodeHex(run) : decodeBase64(run);
        expect(decoded).toBeUndefined();
      }),
      { numRuns: 3000, seed: 7 },
    );
    // the probe does drop runs: it is not vacuous
    expect(dropped).toBeGreaterThan(100);
  });

  it('keeps base64 and hex of plain text', () => {
    const text = 'the quick brown fox jumps over the lazy dog, 42 times';
    for (const run of [Buffer.from(text).toString('base64'), Buffer.from(text).toString('hex')]) expect(mayDecodeToText(codesOf(run), 0, run.length)).toBe(true);
  });
});
