import { fitChars, splitChars } from '../../src/channels/slack/fit-text';

describe('Slack text limits', () => {
  test('when a text fits, then it is left alone', () => {
    expect(fitChars('short', 10)).toBe('short');
    expect(splitChars('a\nb', 10)).toEqual(['a\nb']);
  });

  test('when a text is cut, then the marker counts toward the limit and no surrogate pair is torn', () => {
    const cut = fitChars(`${'x'.repeat(8)}😀😀`, 10);
    expect(cut).toBe(`${'x'.repeat(8)}…`);
    expect(cut.length).toBeLessThanOrEqual(10);
  });

  test('when lines fit a section, then the split falls at line breaks and drops that break', () => {
    expect(splitChars('aaaa\nbbbb\ncccc', 9)).toEqual(['aaaa\nbbbb', 'cccc']);
  });

  test('when one link is longer than a section, then it is cut hard instead of looping', () => {
    const pieces = splitChars(`<https://example.com/${'p'.repeat(50)}|label>`, 20);
    expect(pieces.every((p) => p.length <= 20)).toBe(true);
    expect(pieces.join('')).toBe(`<https://example.com/${'p'.repeat(50)}|label>`);
  });

  test('when a section would end inside a link, then the link moves whole to the next section', () => {
    expect(splitChars('see <https://e.com|x> now', 20)).toEqual(['see ', '<https://e.com|x> no', 'w']);
  });
});
