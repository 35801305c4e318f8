// A reader of PowerShell string expressions for the tests: `'…'` (with '' for a quote),
// [char]0xNNNN, `+` and parentheses, nothing else. Whatever it cannot read fails the test, so an
// expression it reads is string literals only.

/** Reads `'…'`, `[char]0xNNNN`, `+` and parentheses from `text` at `start`; returns value and end. */
export function readPsString(text: string, start = 0): { value: string; end: number } {
  let i = start;
  let value = '';
  let depth = 0;
  let expectTerm = true;
  for (;;) {
    const before = i;
    while (text[i] === ' ') i++;
    if (expectTerm && text[i] === '(') {
      depth++;
      i++;
      continue;
    }
    if (expectTerm && text[i] === "'") {
      i++;
      for (;;) {
        const ch = text[i];
        if (ch === undefined) throw new Error('unterminated string');
        if (ch === "'" && text[i + 1] === "'") {
          value += "'";
          i += 2;
        } else if (ch === "'") {
          i++;
          break;
        } else {
          if ('\u2018\u2019\u201a\u201b'.includes(ch)) throw new Error('a typographic quote inside a literal');
          value += ch;
          i++;
        }
      }
      expectTerm = false;
      continue;
    }
    const char = /^\[char\]0x([0-9A-F]{4})/.exec(text.slice(i));
    if (expectTerm && char) {
      value += String.fromCharCode(parseInt(char[1]!, 16));
      i += char[0].length;
      expectTerm = false;
      continue;
    }
    if (expectTerm) throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
    if (depth > 0 && text[i] === '+') {
      i++;
      expectTerm = true;
      continue;
    }
    if (depth > 0 && text[i] === ')') {
      depth--;
      i++;
      continue;
    }
    if (depth === 0) return { value, end: before };
    throw new Error(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
  }
}
