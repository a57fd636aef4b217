import fc from 'fast-check';
import { CUT_MARKER, fitUtf8Bytes, utf8Bytes } from '../../src/channels/fit-bytes';

/** True when the string has no lone surrogate: it survives a UTF-8 round trip unchanged. */
function wellFormed(text: string): boolean {
  return Buffer.from(text, 'utf8').toString('utf8') === text;
}

function keptPart(fitted: string): string {
  return fitted.endsWith(CUT_MARKER) ? fitted.slice(0, -CUT_MARKER.length).replace(/\n$/, '') : fitted;
}

describe('fitUtf8Bytes', () => {
  it('when the text fits, then it is returned unchanged, also at exactly the limit', () => {
    expect(fitUtf8Bytes('disk full on db-1', 4096)).toBe('disk full on db-1');
    const exact = '数'.repeat(1365) + 'a'; // 4095 + 1 bytes
    expect(fitUtf8Bytes(exact, 4096)).toBe(exact);
  });

  it('when Chinese text is over the limit, then it is cut by bytes, not characters, between characters', () => {
    const text = '数据库连接失败'.repeat(300); // 2100 characters, 6300 bytes: fits by characters, not by bytes

    const fitted = fitUtf8Bytes(text, 4096);

    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(4096);
    expect(fitted.endsWith(CUT_MARKER)).toBe(true);
    // 4093 bytes for text: 1364 whole 3-byte characters.
    expect(fitted).toBe(text.slice(0, 1364) + CUT_MARKER);
  });

  it('when emoji straddle the limit, then no surrogate pair is split', () => {
    const text = 'a' + '🔥'.repeat(1100); // 1 + 4400 bytes; every emoji is two UTF-16 units

    const fitted = fitUtf8Bytes(text, 4096);

    expect(wellFormed(fitted)).toBe(true);
    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(4096);
    expect(fitted).toBe('a' + '🔥'.repeat(1023) + CUT_MARKER); // 1 + 4092 + 3 bytes
  });

  it('when ZWJ sequences and flags straddle the limit, then each stays whole', () => {
    const family = '👨‍👩‍👧'; // 18 bytes, 5 code points
    const flag = '🇨🇳'; // 8 bytes, 2 regional indicators
    const text = `${family}${flag}`.repeat(10);

    // 87 bytes for text: 3 pairs are 78 bytes, and "👨‍" of the next family would still fit.
    expect(keptPart(fitUtf8Bytes(text, 90))).toBe(`${family}${flag}`.repeat(3));
    // 97 bytes: a whole family more fits (96), the first half of the next flag (100) does not.
    expect(keptPart(fitUtf8Bytes(text, 100))).toBe(`${family}${flag}`.repeat(3) + family);
  });

  it('when the text has lines, then it is cut at the last whole line and the marker gets its own line', () => {
    const lines = Array.from({ length: 100 }, (_, i) => `> label_${String(i).padStart(3, '0')}=value 数据`);
    const text = lines.join('\n');

    const fitted = fitUtf8Bytes(text, 1000);

    expect(utf8Bytes(fitted)).toBeLessThanOrEqual(1000);
    expect(fitted.endsWith(`\n${CUT_MARKER}`)).toBe(true);
    const kept = fitted.split('\n').slice(0, -1);
    expect(kept).toEqual(lines.slice(0, kept.length));
    expect(kept.length).toBeGreaterThan(30);
  });

  it('when the only line break is early, then the text is cut mid-line rather than dropping most of it', () => {
    const text = `title\n${'x'.repeat(5000)}`;

    const fitted = fitUtf8Bytes(text, 4096);

    expect(fitted).toBe(`title\n${'x'.repeat(4096 - 6 - 3)}${CUT_MARKER}`);
  });

  it('when the limit is smaller than the marker, then nothing is left', () => {
    expect(fitUtf8Bytes('数据库', 2)).toBe('');
  });

  it('for any text of emoji, flags, CJK and combining marks, the cut falls between whole graphemes', () => {
    const grapheme = fc.constantFrom('a', ' ', '\n', '数', '🔥', '👨‍👩‍👧', '🇨🇳', 'e\u0301\u0302', '👍🏽');
    fc.assert(
      fc.property(fc.array(grapheme, { maxLength: 300 }), fc.integer({ min: 4, max: 400 }), (parts, max) => {
        const fitted = fitUtf8Bytes(parts.join(''), max);
        expect(utf8Bytes(fitted)).toBeLessThanOrEqual(max);
        const kept = keptPart(fitted).trimEnd();
        const whole = parts.map((_, i) => parts.slice(0, i + 1).join('').trimEnd());
        expect(kept === '' || whole.includes(kept)).toBe(true);
      }),
    );
  });

  it('for any text and limit, the result fits, is well-formed and is the start of the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 400 }), fc.integer({ min: 4, max: 600 }), (raw, max) => {
        const text = Buffer.from(raw, 'utf8').toString('utf8'); // well-formed input, as a renderer gives
        const fitted = fitUtf8Bytes(text, max);
        expect(utf8Bytes(fitted)).toBeLessThanOrEqual(max);
        expect(wellFormed(fitted)).toBe(true);
        if (fitted !== text) expect(text.startsWith(keptPart(fitted).trimEnd())).toBe(true);
      }),
    );
  });
});
