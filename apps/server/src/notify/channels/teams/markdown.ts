// Values inserted into the card's texts are escaped for Adaptive Card markdown. TextBlocks and
// FactSet titles and values are read as a CommonMark subset (bold, italic, lists, links), so a
// rule named `disk_free_low_var` or a summary with `*` would render in italics, and `[x](y)` in a
// label would become a link someone else wrote. `{{{raw}}}` in a template still inserts markdown
// on purpose. Only what that subset acts on is escaped: a client that ignores a backslash escape
// then shows a stray `\`, so escaping every punctuation mark would cost more than it guards, and
// a bracket is escaped only where it would close a link (`](`), not in "[CRITICAL]". Line breaks
// become spaces: a value must not start a list on a line of its own.
import type { Escape } from '@esmon/schema';

export const escapeMarkdown: Escape = (s) =>
  s
    .replace(/[\\*_]/g, (c) => `\\${c}`)
    .replace(/\]\(/g, '\\](')
    .replace(/\s*[\r\n]+\s*/g, ' ')
    .replace(/^(\s*)([-+])(?=\s)/, '$1\\$2')
    .replace(/^(\s*\d+)\.(?=\s)/, '$1\\.');

/** At most `max` characters, cut with an ellipsis: each text of the card is bounded. */
export function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  // a cut must not leave half an escape: an odd run of backslashes would escape the ellipsis
  const kept = s.slice(0, max - 1).replace(/\\+$/, (run) => (run.length % 2 ? run.slice(1) : run));
  return `${kept}…`;
}
