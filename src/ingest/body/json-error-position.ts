/**
 * Finds where a JSON text that JSON.parse rejected goes wrong. V8's own message names the bad
 * token but, for short bodies, not its offset; a sender fixing its payload needs the offset.
 * Iterative (an explicit stack), so deeply nested input cannot overflow the call stack.
 */
export function jsonErrorPosition(text: string): { position: number; line: number; column: number } {
  const position = scan(text);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  return { position, line, column: position - before.lastIndexOf('\n') };
}

/**
 * `at position 12 (line 1, column 13): unexpected "}"`. Built from the position only: V8's own
 * message quotes the body, and a rejection must not echo what was sent.
 */
export function describeJsonError(text: string): string {
  const { position, line, column } = jsonErrorPosition(text);
  const found = text.codePointAt(position);
  const what = found === undefined ? 'unexpected end of input' : `unexpected ${JSON.stringify(String.fromCodePoint(found))}`;
  return `at position ${position} (line ${line}, column ${column}): ${what}`;
}

function scan(text: string): number {
  let i = 0;
  const stack: Array<'{' | '['> = [];
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = (): boolean => {
    if (text[i] !== '"') return false;
    for (i++; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return ++i > 0;
      if (c < 0x20) return false;
      if (c === 0x5c) {
        const e = text[++i];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) return false;
          i += 4;
        } else if (e === undefined || !'"\\/bfnrt'.includes(e)) return false;
      }
    }
    return false;
  };
  const scalar = (): boolean => {
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!match) return false;
    i += match[0].length;
    return true;
  };
  for (;;) {
    ws();
    // a value
    if (text[i] === '{' || text[i] === '[') {
      stack.push(text[i] as '{' | '[');
      i++;
      ws();
      if ((stack.at(-1) === '{' && text[i] === '}') || (stack.at(-1) === '[' && text[i] === ']')) {
        stack.pop();
        i++;
      } else {
        if (stack.at(-1) === '{' && !key()) return i;
        continue;
      }
    } else if (!(text[i] === '"' ? string() : scalar())) {
      return i;
    }
    // after a value: close containers or move to the next member
    for (;;) {
      ws();
      const top = stack.at(-1);
      if (!top) return i < text.length ? i : text.length;
      if (text[i] === ',') {
        i++;
        ws();
        if (top === '{' && !key()) return i;
        break;
      }
      if ((top === '{' && text[i] === '}') || (top === '[' && text[i] === ']')) {
        stack.pop();
        i++;
        continue;
      }
      return i;
    }
  }

  function key(): boolean {
    if (!string()) return false;
    ws();
    if (text[i] !== ':') return false;
    i++;
    return true;
  }
}
