// One channel: its name, whether it is on, and its configuration in a form generated from its
// type's schema (admins save and delete; others read); for a saved channel, a test send
// (analysts) and its templates.
import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { useSession } from '../../api/session.tsx';
import { SchemaForm } from '../../ui/SchemaForm.tsx';
import { configOf, initialState } from '../../ui/schema-form.ts';
import { says } from '../../ui/server-error.ts';
import { CREATE, DELETE, TEST, UPDATE, type Channel, type ChannelType } from './api.ts';
import { TemplatesEditor } from './TemplatesEditor.tsx';

interface Props {
  type: ChannelType;
  /** absent: a new channel */
  channel?: Channel;
  onCreated(id: string): void;
  onDeleted(): void;
}

interface Outcome {
  ok: boolean;
  status: number | null;
  error: string | null;
  detail: string | null;
  durationMs: number;
  retryable: boolean | null;
}

function TestSend({ id }: { id: string }) {
  const [{ data, error, fetching }, test] = useMutation<{ testChannel: Outcome }>(TEST);
  const o = data?.testChannel;
  return (
    <div className="test-send">
      <button type="button" className="secondary" disabled={fetching} onClick={() => void test({ id })}>
        {fetching ? 'Sending…' : 'Test send'}
      </button>
      {error && <span className="error" role="alert">{says(error)}</span>}
      {o && !fetching && (
        <span data-testid="test-outcome" className={o.ok ? 'outcome-ok' : 'outcome-failed'}>
          {o.ok ? 'ok' : 'failed'}
          {o.status != null && ` · status ${o.status}`}
          {` · ${o.durationMs} ms`}
          {o.detail && ` · ${o.detail}`}
          {o.error && ` · ${o.error}`}
          {!o.ok && o.retryable != null && (o.retryable ? ' (would be retried)' : ' (would not be retried)')}
        </span>
      )}
    </div>
  );
}

export function ChannelEditor({ type, channel, onCreated, onDeleted }: Props) {
  const { can } = useSession();
  const admin = can('admin');
  const [name, setName] = useState(channel?.name ?? '');
  const [enabled, setEnabled] = useState(channel?.enabled ?? true);
  const [form, setForm] = useState(() => initialState(type.configSchema, channel?.config, type.secretFields));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [create, doCreate] = useMutation<{ createNotificationChannel: Channel }>(CREATE);
  const [update, doUpdate] = useMutation<{ updateNotificationChannel: Channel }>(UPDATE);
  const [remove, doRemove] = useMutation(DELETE);
  const busy = create.fetching || update.fetching || remove.fetching;

  async function save(e: FormEvent) {
    e.preventDefault();
    setProblem(null);
    setSaved(false);
    if (!name.trim()) return setProblem('Name: required');
    const built = configOf(type.configSchema, form, { secretFields: type.secretFields, secretsSet: channel?.secretsSet ?? [], mode: channel ? 'update' : 'create' });
    if (!built.ok) return setProblem(built.error);
    if (!channel) {
      const r = await doCreate({ name: name.trim(), type: type.type, config: built.config, enabled });
      if (r.error) return setProblem(says(r.error));
      if (r.data) onCreated(r.data.createNotificationChannel.id);
      return;
    }
    const r = await doUpdate({ id: channel.id, name: name.trim(), config: built.config, enabled, expectedVersion: channel.version });
    if (r.error) return setProblem(says(r.error));
    // what was typed into secrets is stored now; the form starts empty again, showing "set"
    setForm(initialState(type.configSchema, r.data?.updateNotificationChannel.config, type.secretFields));
    setSaved(true);
  }

  async function del() {
    if (!channel || !confirm(`Delete the channel "${channel.name}"? Routes naming it stop reaching it.`)) return;
    const r = await doRemove({ id: channel.id });
    if (r.error) return setProblem(says(r.error));
    onDeleted();
  }

  return (
    <div className="channel-editor">
      <form className="card" aria-label={channel ? `channel ${channel.name}` : 'new channel'} onSubmit={(e) => void save(e)}>
        <h3>
          {channel ? channel.name : `New ${type.title} channel`} <span className="muted">· {type.title}</span>
        </h3>
        <p className="muted">{type.description}</p>
        <div className="sf">
          <label>
            <span className="sf-caption">Name<span className="sf-req" aria-hidden="true"> *</span></span>
            <input value={name} readOnly={!admin} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="sf-check">
            <input type="checkbox" checked={enabled} disabled={!admin} onChange={(e) => setEnabled(e.target.checked)} />
            <span className="sf-caption">Enabled</span>
            <small className="sf-help">a disabled channel keeps its messages until it is enabled again</small>
          </label>
        </div>
        <h4>Configuration</h4>
        <SchemaForm schema={type.configSchema} state={form} onChange={setForm} secretFields={type.secretFields} secretsSet={channel?.secretsSet ?? []} readOnly={!admin} />
        {problem && <p className="error" role="alert">{problem}</p>}
        {saved && !problem && <p className="outcome-ok" role="status">Saved.</p>}
        {admin && (
          <div className="actions">
            <button type="submit" disabled={busy}>{channel ? 'Save' : 'Create channel'}</button>
            {channel && <button type="button" className="danger" disabled={busy} onClick={() => void del()}>Delete</button>}
          </div>
        )}
        {!admin && <p className="muted">Only admins change channels.</p>}
      </form>
      {channel && can('analyst') && (
        <div className="card">
          <h4>Test</h4>
          <p className="muted">Sends a sample notification (two alerts, one resolved) through the saved configuration now.</p>
          <TestSend id={channel.id} />
        </div>
      )}
      {channel && <TemplatesEditor type={type} channel={channel} />}
    </div>
  );
}
