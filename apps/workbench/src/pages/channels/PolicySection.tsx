// The routing policy: the tree drawn as indented routes (matchers → channels, grouping, timing,
// escalation), and for admins the JSON to edit, checked by the server (its error shown as said).
import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import { says } from '../../ui/server-error.ts';
import { POLICY, SET_POLICY } from './api.ts';
import { routeLines, type RouteNode } from './policy-tree.ts';

function Tree({ policy }: { policy: RouteNode }) {
  return (
    <ol className="policy-tree" aria-label="routing tree">
      {routeLines(policy).map((l) => (
        <li key={l.path} style={{ marginLeft: `${l.depth * 1.5}rem` }} data-testid="route">
          <span className="route-path">{l.path === 'root' ? 'root' : `#${l.path}`}</span>
          <span className="route-match">{l.match}</span>
          <span aria-hidden="true"> → </span>
          <span className={l.channels.own ? 'route-channels' : 'route-channels inherited'}>{l.channels.text}</span>
          {l.continue && <span className="route-tag" title="later sibling routes are tried too">continue</span>}
          <div className="route-settings">
            {l.settings.map((s) => (
              <span key={s.text} className={s.own ? '' : 'inherited'} title={s.own ? 'set here' : 'inherited'}>{s.text}</span>
            ))}
            {l.escalate.map((e) => <span key={e} className="route-escalate">escalate {e}</span>)}
          </div>
        </li>
      ))}
    </ol>
  );
}

function Editor({ policy, schema, onSaved }: { policy: RouteNode; schema: unknown; onSaved(): void }) {
  const [text, setText] = useState(() => JSON.stringify(policy, null, 2));
  const [problem, setProblem] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [{ fetching }, set] = useMutation(SET_POLICY);

  async function save(value: unknown) {
    setProblem(null);
    setSaved(false);
    const r = await set({ policy: value });
    if (r.error) return setProblem(says(r.error));
    setText(JSON.stringify(r.data?.setNotificationPolicy, null, 2));
    setSaved(true);
    onSaved();
  }

  function submit() {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return setProblem(`Not JSON: ${(err as Error).message}`);
    }
    void save(value);
  }

  return (
    <div className="policy-editor">
      <label>
        <span className="sf-caption">Policy (JSON)</span>
        <textarea rows={Math.min(30, text.split('\n').length + 2)} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {problem && <p className="error" role="alert" data-testid="policy-error">{problem}</p>}
      {saved && !problem && <p className="outcome-ok" role="status">Policy saved: in force now.</p>}
      <div className="actions">
        <button type="button" disabled={fetching} onClick={submit}>Save policy</button>
        <button type="button" className="secondary" disabled={fetching} onClick={() => confirm('Replace the policy with the default?') && void save(null)}>Reset to default</button>
      </div>
      <details>
        <summary className="muted">The policy's JSON Schema</summary>
        <pre className="schema">{JSON.stringify(schema, null, 2)}</pre>
      </details>
    </div>
  );
}

export function PolicySection() {
  const { can } = useSession();
  const [{ data, error }, refetch] = useQuery<{ notificationPolicy: RouteNode; notificationPolicySchema: unknown }>({ query: POLICY });
  return (
    <section aria-labelledby="policy-title">
      <h2 id="policy-title">Routing policy</h2>
      <p className="muted">
        An alert goes down the first route that matches it (and on to the next when that route says continue); a route inherits the channels and
        timing it does not set (shown faded).
      </p>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && (
        <div className="policy">
          <Tree policy={data.notificationPolicy} />
          {can('admin') && (
            <Editor key={JSON.stringify(data.notificationPolicy)} policy={data.notificationPolicy} schema={data.notificationPolicySchema} onSaved={() => refetch({ requestPolicy: 'network-only' })} />
          )}
        </div>
      )}
    </section>
  );
}
