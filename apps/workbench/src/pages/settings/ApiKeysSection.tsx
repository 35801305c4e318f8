// Admins: API keys for agents (bound to a host) and integrations (acting with a role). A new
// key's secret is shown once; a revoked key stops working at once.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { CopyText } from '../../ui/CopyText.tsx';
import { ago, at } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';

const FIELDS = 'id name kind prefix role createdAt expiresAt revokedAt lastUsedAt host { id hostname }';
const KEYS = `{ apiKeys { ${FIELDS} } }`;
const CREATE = `mutation ($input: CreateApiKeyInput!) { createApiKey(input: $input) { secret apiKey { ${FIELDS} } } }`;
const REVOKE = `mutation ($id: ID!) { revokeApiKey(id: $id) { ${FIELDS} } }`;

interface ApiKey {
  id: string;
  name: string;
  kind: 'agent' | 'integration';
  prefix: string;
  role: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
  host: { id: string; hostname: string } | null;
}

function KeyRow({ k }: { k: ApiKey }) {
  const [{ fetching, error }, revoke] = useMutation(REVOKE);
  const expired = k.expiresAt != null && Date.parse(k.expiresAt) <= Date.now();
  return (
    <tr data-testid="key-row" className={k.revokedAt || expired ? 'disabled' : ''}>
      <td>{k.name}</td>
      <td><code>{k.prefix}…</code></td>
      <td>{k.kind === 'agent' ? `agent of ${k.host?.hostname ?? '?'}` : `integration, ${k.role ?? '?'}`}</td>
      <td title={at(k.createdAt)}>{ago(k.createdAt)}</td>
      <td title={at(k.lastUsedAt)}>{ago(k.lastUsedAt)}</td>
      <td>{k.revokedAt ? `revoked ${ago(k.revokedAt)}` : k.expiresAt ? `${expired ? 'expired' : 'expires'} ${at(k.expiresAt)}` : 'active'}</td>
      <td>
        {!k.revokedAt && (
          <button type="button" className="link" disabled={fetching} onClick={() => confirm(`Revoke the key "${k.name}"? Whatever uses it stops at once.`) && void revoke({ id: k.id })}>
            Revoke
          </button>
        )}
        {error && <div className="error" role="alert">{says(error)}</div>}
      </td>
    </tr>
  );
}

function NewKey({ onCreated }: { onCreated(): void }) {
  const [{ fetching, error }, create] = useMutation<{ createApiKey: { secret: string; apiKey: ApiKey } }>(CREATE);
  const [kind, setKind] = useState<'integration' | 'agent'>('integration');
  const [made, setMade] = useState<{ name: string; secret: string } | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setMade(null);
    const expires = String(f.get('expiresAt') ?? '');
    const input = {
      name: String(f.get('name')),
      kind,
      ...(kind === 'integration' ? { role: String(f.get('role')) } : { hostname: String(f.get('hostname')).trim() }),
      ...(expires ? { expiresAt: new Date(expires).toISOString() } : {}),
    };
    const r = await create({ input });
    if (!r.data) return;
    form.reset();
    setMade({ name: r.data.createApiKey.apiKey.name, secret: r.data.createApiKey.secret });
    onCreated();
  }

  return (
    <>
      <form className="inline-form" aria-label="new API key" onSubmit={(e) => void submit(e)}>
        <label>Name<input name="name" required autoComplete="off" /></label>
        <label>
          Kind
          <select name="kind" value={kind} onChange={(e) => setKind(e.target.value as 'agent' | 'integration')}>
            <option value="integration">integration</option>
            <option value="agent">agent</option>
          </select>
        </label>
        {kind === 'integration' ? (
          <label>
            Role
            <select name="role" defaultValue="viewer">
              <option value="viewer">viewer</option>
              <option value="analyst">analyst</option>
              <option value="admin">admin</option>
            </select>
          </label>
        ) : (
          <label>Hostname<input name="hostname" required autoComplete="off" /></label>
        )}
        <label>Expires (optional)<input name="expiresAt" type="datetime-local" /></label>
        <button type="submit" disabled={fetching}>Create API key</button>
      </form>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {made && (
        <div className="card secret-once" data-testid="new-key-secret">
          <p>
            The secret of <strong>{made.name}</strong>, shown this once: store it now. Send it as <code>Authorization: Bearer …</code>.
          </p>
          <CopyText text={made.secret} label="API key secret" />
          <button type="button" className="link" onClick={() => setMade(null)}>I have stored it</button>
        </div>
      )}
    </>
  );
}

export function ApiKeysSection() {
  const [{ data, error }, refetch] = useQuery<{ apiKeys: ApiKey[] }>({ query: KEYS });
  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && data.apiKeys.length === 0 && <p className="muted">No API key yet.</p>}
      {data && data.apiKeys.length > 0 && (
        <table>
          <thead>
            <tr><th>Name</th><th>Prefix</th><th>For</th><th>Created</th><th>Last used</th><th>State</th><th /></tr>
          </thead>
          <tbody>
            {[...data.apiKeys].reverse().map((k) => <KeyRow key={k.id} k={k} />)}
          </tbody>
        </table>
      )}
      <NewKey onCreated={() => refetch({ requestPolicy: 'network-only' })} />
    </section>
  );
}
