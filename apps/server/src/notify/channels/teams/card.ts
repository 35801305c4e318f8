// The Adaptive Card a Teams notification is: a header whose colour says the severity (or that all
// is resolved, or that it is a test), then each alert with its facts and summary, then buttons to
// the workbench. Version 1.4: what Teams renders on desktop, web and mobile and what the Workflows
// "post card" action accepts; nothing here needs more than 1.2.
//
// Teams refuses a message over ~28 KB, so the card shows at most MAX_SHOWN alerts and then, if the
// texts are long, fewer, until the whole message fits; the rest is "+N more".
import type { Notification } from '../../channel.ts';
import { templateData } from '../../template-data.ts';
import { cut, escapeMarkdown } from './markdown.ts';

export const MAX_SHOWN = 10;
/** under Teams' 28 KB with room for the envelope's own headers */
export const MAX_MESSAGE_BYTES = 27_000;
const MAX_FACT = 300;

type AlertData = ReturnType<typeof templateData>['alerts'][number];
type Element = Record<string, unknown>;

/** The texts the templates make, already rendered and escaped for markdown. */
export interface CardTexts {
  title: string;
  /** the text under one alert's facts; '' for none */
  summary(alert: AlertData): string;
}

type Tone = { style: 'attention' | 'warning' | 'good' | 'accent'; color: 'Attention' | 'Warning' | 'Good' | 'Accent' };
const TONE = {
  attention: { style: 'attention', color: 'Attention' },
  warning: { style: 'warning', color: 'Warning' },
  good: { style: 'good', color: 'Good' },
  accent: { style: 'accent', color: 'Accent' },
} satisfies Record<string, Tone>;

/** A notification is a follow-up on resolve when it says so or nothing in it fires any more. */
export function isResolved(n: Notification): boolean {
  return n.kind === 'resolved' || n.alerts.every((a) => a.state === 'resolved');
}

function headerTone(n: Notification): Tone {
  if (n.kind === 'test') return TONE.accent;
  if (isResolved(n) || n.severity === null) return TONE.good;
  return n.severity === 'warning' ? TONE.warning : TONE.attention;
}

function alertTone(a: AlertData): Tone {
  if (a.resolved) return TONE.good;
  return a.severity === 'warning' ? TONE.warning : TONE.attention;
}

/** "2024-05-01 12:00:05 UTC": a reader in any time zone knows what it means. */
export function formatTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

const KIND_NOTE: Partial<Record<Notification['kind'], string>> = { renotify: 'reminder', escalation: 'escalated' };

function header(n: Notification, texts: CardTexts): Element {
  const d = templateData(n);
  const tone = headerTone(n);
  const badge = n.kind === 'test' ? 'TEST' : isResolved(n) ? 'RESOLVED' : d.severityLabel;
  const note = KIND_NOTE[n.kind];
  const counts = [d.firingCount && `${d.firingCount} firing`, d.resolvedCount && `${d.resolvedCount} resolved`].filter(Boolean);
  const labels = d.groupLabelList.map((l) => `${l.name}=${l.value}`).join(', ');
  return {
    type: 'Container',
    style: tone.style,
    bleed: true,
    items: [
      { type: 'TextBlock', text: note ? `${badge} · ${note}` : badge, weight: 'Bolder', size: 'Small', color: tone.color },
      { type: 'TextBlock', text: texts.title, weight: 'Bolder', size: 'Large', wrap: true, spacing: 'None' },
      {
        type: 'TextBlock',
        text: cut(escapeMarkdown([counts.join(', '), labels].filter(Boolean).join(' · ')), MAX_FACT),
        isSubtle: true,
        wrap: true,
        spacing: 'Small',
      },
    ],
  };
}

function alertBlock(a: AlertData, texts: CardTexts): Element {
  const fact = (title: string, value: string) => ({ title, value: cut(escapeMarkdown(value), MAX_FACT) });
  const facts = [
    a.host && fact('Host', a.host),
    fact('Rule', a.rule),
    a.value && fact('Value', a.value),
    fact('Since', formatTime(a.since)),
    a.resolved && a.resolvedAt && fact('Resolved at', formatTime(a.resolvedAt)),
  ].filter(Boolean);
  const summary = texts.summary(a);
  return {
    type: 'Container',
    separator: true,
    spacing: 'Medium',
    // the whole block opens the alert: in a group, the only link to each one but the first
    selectAction: { type: 'Action.OpenUrl', title: 'Open alert', url: a.links.alert },
    items: [
      { type: 'TextBlock', text: a.severityLabel, weight: 'Bolder', size: 'Small', color: alertTone(a).color },
      { type: 'FactSet', facts, spacing: 'Small' },
      ...(summary ? [{ type: 'TextBlock', text: summary, wrap: true, spacing: 'Small' }] : []),
    ],
  };
}

function actions(n: Notification, ordered: AlertData[]): Element[] {
  const first = ordered[0];
  if (!first) return [];
  const open = (title: string, url: string) => ({ type: 'Action.OpenUrl', title, url });
  if (n.alerts.length > 1) {
    return [open('Open first alert', first.links.alert), open('All alerts', `${n.workbenchUrl.replace(/\/+$/, '')}/alerts`)];
  }
  // acknowledging or silencing what has already resolved does nothing
  if (first.resolved || isResolved(n)) return [open('Open alert', first.links.alert)];
  return [open('Open alert', first.links.alert), open('Acknowledge', first.links.acknowledge), open('Silence', first.links.silence)];
}

/** The card showing the first `maxShown` alerts, firing ones first. */
export function teamsCard(n: Notification, texts: CardTexts, maxShown = MAX_SHOWN): Element {
  const all = templateData(n).alerts;
  const ordered = [...all.filter((a) => a.firing), ...all.filter((a) => !a.firing)];
  const shown = ordered.slice(0, maxShown);
  const more = ordered.length - shown.length;
  return {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.4',
    msteams: { width: 'Full' },
    body: [
      header(n, texts),
      ...shown.map((a) => alertBlock(a, texts)),
      ...(more > 0 ? [{ type: 'TextBlock', text: `+${more} more`, isSubtle: true, wrap: true, separator: true }] : []),
    ],
    actions: actions(n, ordered),
  };
}

/** What Workflows and legacy connectors both take: a message with the card as its one attachment. */
export function teamsMessage(card: Element) {
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content: card }],
  };
}

/** The message with as many alerts as fit in MAX_MESSAGE_BYTES (as UTF-8, what is sent). */
export function fittedMessage(n: Notification, texts: CardTexts, maxBytes = MAX_MESSAGE_BYTES) {
  let shown = Math.min(MAX_SHOWN, n.alerts.length);
  let message = teamsMessage(teamsCard(n, texts, shown));
  while (shown > 0 && Buffer.byteLength(JSON.stringify(message)) > maxBytes) {
    shown--;
    message = teamsMessage(teamsCard(n, texts, shown));
  }
  return message;
}
