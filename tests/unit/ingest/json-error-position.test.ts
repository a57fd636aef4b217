import { describeJsonError, jsonErrorPosition } from '../../../src/ingest/body/json-error-position';

describe('jsonErrorPosition', () => {
  it.each([
    ['{"alerts": [}', 12],
    ['{"a": 1,}', 8],
    ['{"a" 1}', 5],
    ['[1, 2', 5],
    ['{"a": "b\u0001"}', 8],
    ['{"a": tru}', 6],
    ['{"a": 1} x', 9],
    ['', 0],
    ['{"a": "\\x"}', 8],
  ])('when the text is %j, then the error is at %i', (text, position) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonErrorPosition(text).position).toBe(position);
  });

  it('when the error is on a later line, then line and column point at it', () => {
    expect(jsonErrorPosition('{\n  "a": 1,\n  "b": ]\n}')).toEqual({ position: 19, line: 3, column: 8 });
  });

  it('when 200 000 brackets are open, then it answers without overflowing the stack', () => {
    const text = '['.repeat(200_000);
    expect(jsonErrorPosition(text).position).toBe(200_000);
  });
});

describe('describeJsonError', () => {
  it('when a token is wrong, then it names the position and the character, not the body', () => {
    expect(describeJsonError('{"secret": "hunter2", }')).toBe('at position 22 (line 1, column 23): unexpected "}"');
  });

  it('when the text ends early, then it says so', () => {
    expect(describeJsonError('{"alerts": [')).toBe('at position 12 (line 1, column 13): unexpected end of input');
  });

  it('when the bad character is an emoji or a control character, then it is shown whole and escaped', () => {
    expect(describeJsonError('{"a": 🔥}')).toBe('at position 6 (line 1, column 7): unexpected "🔥"');
    expect(describeJsonError('{"a": \u0007}')).toBe('at position 6 (line 1, column 7): unexpected "\\u0007"');
  });
});
