// The email channel's default templates: a one-line subject, a plain-text body for clients that
// show no HTML (and for spam filters, which distrust HTML-only mail), and an HTML body. The HTML
// is tables with inline styles only: most mail clients drop <style> blocks and ignore flexbox.
//
// The template language has no line trimming around section tags, so the text template keeps
// its tags at line ends where a blank line would otherwise appear.
import type { Notification, Severity } from '../../channel.ts';
import { templateData } from '../../template-data.ts';

const COLORS: Record<Severity | 'resolved', string> = {
  warning: '#b45309',
  critical: '#dc2626',
  very_critical: '#7e22ce',
  resolved: '#15803d',
};

const colorOf = (severity: Severity | null, resolved = false) => COLORS[resolved || !severity ? 'resolved' : severity];

/**
 * The shared template data plus `severityColor` (the band) and each alert's `severityColor` (its
 * badge): the template language cannot compare values, so a colour per severity has to be data.
 */
export function emailTemplateData(n: Notification) {
  const data = templateData(n);
  const withColor = <A extends { severity: string; resolved: boolean }>(a: A) => ({
    ...a,
    severityColor: colorOf((a.severity || null) as Severity | null, a.resolved),
  });
  return {
    ...data,
    severityColor: colorOf(n.severity),
    alerts: data.alerts.map(withColor),
    firing: data.firing.map(withColor),
    resolved: data.resolved.map(withColor),
  };
}

export const SUBJECT = '{{title}}';

export const TEXT = `{{title}}
{{#isTest}}
This is a test notification: the channel works.
{{/isTest}}
{{firingCount}} firing, {{resolvedCount}} resolved.
{{#groupLabelList}}  {{name}}={{value}}
{{/groupLabelList}}{{#alerts}}
[{{severityLabel}}] {{rule}}{{#host}} on {{host}}{{/host}}
{{#summary}}  {{summary}}
{{/summary}}{{#value}}  Value:       {{value}}
{{/value}}  Since:       {{since}}
{{#resolvedAt}}  Resolved:    {{resolvedAt}}
{{/resolvedAt}}  Alert:       {{links.alert}}
{{#firing}}  Acknowledge: {{links.acknowledge}}
  Silence:     {{links.silence}}
{{/firing}}{{/alerts}}
--
esmon {{workbenchUrl}}
`;

const td = 'padding:8px 10px;border-bottom:1px solid #e5e7eb;vertical-align:top;';
const th = 'padding:6px 10px;border-bottom:2px solid #e5e7eb;text-align:left;font-weight:600;color:#6b7280;font-size:12px;';
const link = 'color:#2563eb;text-decoration:none;';

export const HTML = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{title}}</title>
</head>
<body style="margin:0;padding:0;background:#f3f4f6;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f3f4f6;padding:24px 8px;font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;color:#111827;">
<tr><td align="center">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:720px;background:#ffffff;border:1px solid #e5e7eb;border-radius:6px;border-collapse:separate;overflow:hidden;">
<tr><td style="background:{{severityColor}};color:#ffffff;padding:16px 20px;font-size:18px;font-weight:600;line-height:1.3;">{{title}}</td></tr>
<tr><td style="padding:16px 20px;font-size:14px;line-height:1.5;">
{{#isTest}}<p style="margin:0 0 12px;padding:8px 12px;background:#eff6ff;border-left:4px solid #2563eb;">This is a test notification: the channel works.</p>{{/isTest}}
<p style="margin:0 0 12px;color:#374151;">{{firingCount}} firing, {{resolvedCount}} resolved{{#groupLabelList}} &middot; <code style="font-size:12px;">{{name}}={{value}}</code>{{/groupLabelList}}</p>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:13px;">
<tr><th style="${th}">Severity</th><th style="${th}">Alert</th><th style="${th}">Host</th><th style="${th}">Value</th><th style="${th}">Since</th></tr>
{{#alerts}}<tr>
<td style="${td}"><span style="display:inline-block;background:{{severityColor}};color:#ffffff;padding:2px 6px;border-radius:3px;font-size:11px;font-weight:600;white-space:nowrap;">{{severityLabel}}</span></td>
<td style="${td}width:45%;"><a href="{{links.alert}}" style="${link}font-weight:600;">{{rule}}</a>{{#summary}}<div style="color:#4b5563;margin-top:2px;">{{summary}}</div>{{/summary}}
<div style="margin-top:4px;font-size:12px;"><a href="{{links.alert}}" style="${link}">View</a>{{#firing}} &middot; <a href="{{links.acknowledge}}" style="${link}">Acknowledge</a> &middot; <a href="{{links.silence}}" style="${link}">Silence</a>{{/firing}}</div></td>
<td style="${td}white-space:nowrap;">{{host}}</td>
<td style="${td}white-space:nowrap;">{{value}}</td>
<td style="${td}color:#4b5563;font-size:12px;">{{since}}{{#resolvedAt}}<br>resolved {{resolvedAt}}{{/resolvedAt}}</td>
</tr>{{/alerts}}
</table>
</td></tr>
<tr><td style="padding:12px 20px;border-top:1px solid #e5e7eb;font-size:12px;color:#6b7280;">Sent by esmon &middot; <a href="{{workbenchUrl}}" style="${link}">{{workbenchUrl}}</a></td></tr>
</table>
</td></tr>
</table>
</body>
</html>
`;

/** The default of each part; a channel's own templates replace parts by these names. */
export const DEFAULT_TEMPLATES = { subject: SUBJECT, text: TEXT, html: HTML } as const;
