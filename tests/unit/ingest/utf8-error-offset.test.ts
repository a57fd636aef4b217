import { utf8ErrorOffset } from '../../../src/ingest/body/utf8-error-offset';

describe('utf8ErrorOffset', () => {
  it.each([
    ['ASCII', [0x7b, 0x7d], undefined],
    ['Cyrillic and an emoji', [...Buffer.from('«КМ-2048» 🔥', 'utf8')], undefined],
    ['a lone 0xff', [0xff], 0],
    ['0xff after ASCII', [0x61, 0xff, 0x62], 1],
    ['a lead byte followed by ASCII', [0x7b, 0xc3, 0x28], 2],
    ['an encoded surrogate (CESU-8)', [0x61, 0xed, 0xa0, 0x80], 2],
    ['a stray continuation byte after a whole character', [0xe2, 0x82, 0xac, 0x80], 3],
    ['a body that ends inside a character', [0x61, 0xe2, 0x82], 3],
  ])('when the bytes are %s, then the offset is %p', (_name, bytes, offset) => {
    expect(utf8ErrorOffset(Uint8Array.from(bytes))).toBe(offset);
  });

  it('when 1 MiB of valid text has one bad byte near the end, then it finds that byte quickly', () => {
    const bytes = Buffer.alloc(1024 * 1024, 0x61);
    bytes[1_000_000] = 0xfe;
    const started = Date.now();
    expect(utf8ErrorOffset(bytes)).toBe(1_000_000);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
