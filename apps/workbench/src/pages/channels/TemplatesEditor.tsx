// A channel's message templates, part by part, with the type's default in place of a part the
// channel does not set; a preview renders a sample notification with what is typed (analysts),
// admins save. A part equal to the default is not stored, so it follows later defaults.
import { useState } from 'react';
import { useClient, useMutation } from 'urql';
import { useSession } from '../../api/session.tsx';
import { says } from '../../ui/server-error.ts';
import { PREVIEW, UPDATE, type Channel, type ChannelType } from './api.ts';

/** The parts that differ from the type's default: what the channel stores as its own. */
export function ownTemplates(defaults: Record<string, string>, typed: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(typed).filter(([part, text]) => Object.hasOwn(defaults, part) && text !== defaults[part]));
}

export function TemplatesEditor({ type, channel }: { type: ChannelType; channel: Channel }) {
  const { can } = useSession();
  const client = useClient();
  const parts = Object.keys(type.templates);
  const [typed, setTyped] = useState<Record<string, string>>(() => Object.fromEntries(parts.map((p) => [p, channel.templates[p] ?? type.templates[p]!])));
  const [preview, setPreview] = useState<unknown>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const [save, doSave] = useMutation<{ updateNotificationChannel: Channel }>(UPDATE);

  if (parts.length === 0) {
    return (
      <div className="card">
        <h4>Templates</h4>
        <p className="muted">A {type.title} channel sends a fixed document: it has no templates.</p>
      </div>
    );
  }

  async function runPreview() {
    setProblem(null);
    setPreviewing(true);
    const r = await client.query(PREVIEW, { id: channel.id, templates: typed }, { requestPolicy: 'network-only' }).toPromise();
    setPreviewing(false);
    if (r.error) return setProblem(says(r.error));
    setPreview(r.data?.previewNotification ?? null);
  }

  async function saveTemplates() {
    setProblem(null);
    setSaved(false);
    const r = await doSave({ id: channel.id, templates: ownTemplates(type.templates, typed), expectedVersion: channel.version });
    if (r.error) return setProblem(says(r.error));
    setSaved(true);
  }

  return (
    <div className="card templates">
      <h4>Templates</h4>
      <p className="muted">
        Mustache subset: {'{{title}}'}, {'{{#alerts}}…{{/alerts}}'}, {'{{host}}'}, {'{{severityLabel}}'}, {'{{links.alert}}'}. A part left as the default follows the default.
      </p>
      {parts.map((p) => {
        const isDefault = typed[p] === type.templates[p];
        return (
          <div key={p} className="template-part">
            <label>
              <span className="sf-caption">
                {p} <span className="muted">{isDefault ? '(default)' : '(own)'}</span>
              </span>
              <textarea rows={Math.min(12, Math.max(2, typed[p]!.split('\n').length + 1))} value={typed[p]} readOnly={!can('admin')} onChange={(e) => setTyped({ ...typed, [p]: e.target.value })} />
            </label>
            {!isDefault && can('admin') && (
              <button type="button" className="link" onClick={() => setTyped({ ...typed, [p]: type.templates[p]! })}>Back to default</button>
            )}
          </div>
        );
      })}
      <div className="actions">
        {can('analyst') && (
          <button type="button" className="secondary" disabled={previewing} onClick={() => void runPreview()}>Preview</button>
        )}
        {can('admin') && (
          <button type="button" disabled={save.fetching} onClick={() => void saveTemplates()}>Save templates</button>
        )}
      </div>
      {problem && <p className="error" role="alert">{problem}</p>}
      {saved && !problem && <p className="outcome-ok" role="status">Templates saved.</p>}
      {preview != null && (
        <div className="preview" data-testid="template-preview">
          <h5>Preview (a sample notification)</h5>
          {typeof preview === 'object' && !Array.isArray(preview) ? (
            Object.entries(preview as Record<string, unknown>).map(([k, v]) => (
              <div key={k}>
                <span className="muted">{k}</span>
                <pre>{typeof v === 'string' ? v : JSON.stringify(v, null, 2)}</pre>
              </div>
            ))
          ) : (
            <pre>{JSON.stringify(preview, null, 2)}</pre>
          )}
        </div>
      )}
    </div>
  );
}
