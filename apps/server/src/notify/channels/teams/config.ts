// The Teams channel's stored configuration. The webhook URL carries its own signature (the `sig`
// of a Workflows trigger, the path of a legacy connector): whoever has it can post to the channel,
// so it is a secret, write-only like a password.
import { z } from 'zod';

export const FLAVOURS = ['workflows', 'legacy', 'auto'] as const;
export type Flavour = Exclude<(typeof FLAVOURS)[number], 'auto'>;

// plain http is for a receiver on this machine (tests, a local relay), never across a network:
// the URL is a credential and must not travel in the clear
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export const teamsConfig = z.strictObject({
  url: z
    .string()
    .trim()
    .refine((v) => URL.canParse(v), 'url must be a webhook URL such as https://…')
    .refine((v) => {
      const u = URL.canParse(v) ? new URL(v) : null;
      return !u || u.protocol === 'https:' || (u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname));
    }, 'url must use https (plain http only to 127.0.0.1 or localhost)'),
  /** workflows: Power Automate / Teams Workflows (answers 202); legacy: an Office 365 connector (answers 200 "1") */
  flavour: z.enum(FLAVOURS).default('auto'),
  /** at most this long per attempt, when shorter than the dispatcher's own limit */
  timeoutSeconds: z.int().min(1).max(120).optional(),
});

export type TeamsConfig = z.output<typeof teamsConfig>;

/** The flavour a configuration means: auto tells a legacy connector by its host, *.webhook.office.com. */
export function flavourOf(config: Pick<TeamsConfig, 'url' | 'flavour'>): Flavour {
  // a configuration read as stored, before its defaults, may lack the field
  const flavour = config.flavour ?? 'auto';
  if (flavour !== 'auto') return flavour;
  const host = URL.canParse(config.url) ? new URL(config.url).hostname.toLowerCase() : '';
  return /(^|\.)webhook\.office\.com$/.test(host) ? 'legacy' : 'workflows';
}
