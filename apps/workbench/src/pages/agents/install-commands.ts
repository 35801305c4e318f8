// The command lines that enrol an agent with a one-time token, as README "Agents" and the
// packaging files (esmon-agent.service, install-windows-service.ps1) give them. Values are
// quoted for their shell, so a pasted command runs as shown.

export interface EnrolTarget {
  /** the server as the agent's host reaches it, e.g. http://monitor:4000 */
  server: string;
  token: string;
  /** the host the token is bound to, when it is */
  hostname?: string | null;
}

/** A POSIX shell word: bare when safe, else in single quotes. */
export function shQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A PowerShell string literal: single quotes, a quote doubled. */
export const psQuote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

/**
 * Linux (systemd): enrol as the service's user into /etc/esmon-agent, then start the unit, after
 * the binary, the user and the unit are installed as esmon-agent.service describes.
 */
export function linuxCommand(t: EnrolTarget): string {
  const host = t.hostname ? ` --hostname ${shQuote(t.hostname)}` : '';
  return (
    `sudo -u esmon-agent esmon-agent enroll --server ${shQuote(t.server)} --token ${shQuote(t.token)}${host} --config /etc/esmon-agent` +
    ` && sudo systemctl enable --now esmon-agent`
  );
}

/**
 * Windows: the service installer (elevated PowerShell, in the folder holding the script) enrols
 * into %ProgramData%\esmon-agent and starts the service. It enrols under the machine's name.
 */
export function windowsCommand(t: EnrolTarget): string {
  return `.\\install-windows-service.ps1 -Server ${psQuote(t.server)} -Token ${psQuote(t.token)}`;
}

/** The server address an agent should use: what was typed, without a trailing slash; null when not an http(s) URL. */
export function serverUrl(typed: string): string | null {
  const s = typed.trim();
  if (!URL.canParse(s)) return null;
  const u = new URL(s);
  if (!/^https?:$/.test(u.protocol) || u.username || u.password) return null;
  return `${u.origin}${u.pathname}`.replace(/\/+$/, '');
}
