// Values as PowerShell string expressions. Every character outside printable ASCII becomes
// [char]0xNNNN, so the script is pure ASCII: Windows PowerShell reads stdin in the console code
// page (a UTF-8 `ü` would arrive as two wrong characters), and PowerShell also ends single-quoted
// strings at the typographic quotes ‘ ’ ‚ ‛ — as [char] codes they can close nothing.

function quoteAscii(run: string): string {
  return `'${run.replace(/'/g, "''")}'`;
}

/** A PowerShell expression whose value is exactly `value`. */
export function psString(value: string): string {
  const parts: string[] = [];
  let run = '';
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch.length === 1 && code >= 0x20 && code <= 0x7e) {
      run += ch;
      continue;
    }
    if (run) parts.push(quoteAscii(run));
    run = '';
    // one [char] per UTF-16 unit: an emoji becomes its surrogate pair, which PowerShell joins back
    for (let i = 0; i < ch.length; i++) parts.push(`[char]0x${ch.charCodeAt(i).toString(16).padStart(4, '0').toUpperCase()}`);
  }
  if (run || parts.length === 0) parts.push(quoteAscii(run));
  return parts.length === 1 ? parts[0]! : `(${parts.join(' + ')})`;
}
