// Escaping for values put into Gotify's markdown. Label values, hostnames and summaries come from
// agents and rule annotations, not from the template's author: unescaped, a value such as
// "![](https://tracker.example/x.png)" would make every phone showing the message fetch that image
// (Gotify's own docs warn of this), and an underscore in a rule name would turn into italics.
// Links the template means to make are inserted raw, with {{{…}}}.
import type { Escape } from '@esmon/schema';

/** Characters that start inline markup (emphasis, code, links, images, HTML, tables, strikethrough). */
const MARKUP = /[\\`*_[\]<>!|~]/g;

export const escapeMarkdown: Escape = (s) => s.replace(MARKUP, (c) => `\\${c}`);
