// The host picker's decisions, apart from React: what the server is asked for a typed text, which
// host a text names, what leaving the box means, and where the highlighted match moves.

export interface HostChoice {
  id: string;
  hostname: string;
}

/** How many matches the picker asks for and lists: a pick list, not a browser for the fleet. */
export const MATCH_LIMIT = 20;
/** Typing pauses this long before the server is asked. */
export const SEARCH_DELAY_MS = 200;
/** No hostname is longer (RFC 1035), so no search text need be. */
export const MAX_HOSTNAME = 253;

/** The server's `search` argument for a typed text; null asks for the first hosts by name. */
export function searchArg(text: string): string | null {
  const t = text.trim().slice(0, MAX_HOSTNAME);
  return t === '' ? null : t;
}

/** The host a typed text names: its exact hostname among the matches, else the one equal ignoring case. */
export function hostNamed(text: string, matches: readonly HostChoice[]): HostChoice | null {
  const t = text.trim();
  if (t === '') return null;
  const exact = matches.find((h) => h.hostname === t);
  if (exact) return exact;
  const folded = matches.filter((h) => h.hostname.toLowerCase() === t.toLowerCase());
  return folded.length === 1 ? folded[0]! : null;
}

/**
 * What leaving the box with `draft` typed means: an emptied box is "any host" (''), a text naming
 * one of the matches is that host, and anything else keeps the host chosen before (null), so a
 * half-typed name never filters on nothing.
 */
export function settleDraft(draft: string, matches: readonly HostChoice[]): { hostId: string; host: HostChoice | null } | null {
  if (draft.trim() === '') return { hostId: '', host: null };
  const host = hostNamed(draft, matches);
  return host ? { hostId: host.id, host } : null;
}

/** The highlighted match after ArrowDown (+1) or ArrowUp (-1): wraps around; -1 is none. */
export function moveActive(active: number, step: 1 | -1, count: number): number {
  if (count <= 0) return -1;
  if (active < 0 || active >= count) return step === 1 ? 0 : count - 1;
  return (active + step + count) % count;
}

/**
 * The text shown for the chosen host while nobody types: its hostname, from the pick that chose it
 * or else from the server (`fetched`: undefined while asking, null when there is no such host).
 */
export function shownText(hostId: string, picked: HostChoice | null, fetched: HostChoice | null | undefined): string {
  if (!hostId) return '';
  if (picked?.id === hostId) return picked.hostname;
  if (fetched === null) return `host ${hostId}`;
  // an answer about another id is a previous question's: still asking
  return fetched?.id === hostId ? fetched.hostname : '';
}
