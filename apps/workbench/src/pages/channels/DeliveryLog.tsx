// The delivery log: the newest messages first, by channel and status, each with its attempts;
// admins send a dead or waiting one again.
import { Fragment, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession } from '../../api/session.tsx';
import { at } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';
import { DELIVERIES, RETRY, type Channel } from './api.ts';

interface Delivery {
  id: string;
  kind: string;
  status: string;
  title: string;
  createdAt: string;
  deliveredAt: string | null;
  attemptCount: number;
  nextAttemptAt: string;
  lastError: string | null;
  alertIds: string[];
  channel: { id: string; name: string };
  attempts: { at: string; ok: boolean; status: number | null; error: string | null; durationMs: number }[];
}

function Retry({ id }: { id: string }) {
  const [{ fetching, error }, retry] = useMutation(RETRY);
  return (
    <>
      <button type="button" className="link" disabled={fetching} onClick={() => void retry({ id })}>Retry</button>
      {error && <span className="error"> {says(error)}</span>}
    </>
  );
}

export function DeliveryLog({ channels }: { channels: Channel[] }) {
  const { can } = useSession();
  const [channelId, setChannelId] = useState('');
  const [status, setStatus] = useState('');
  const [open, setOpen] = useState<string | null>(null);
  const [{ data, error, fetching }, refetch] = useQuery<{ notificationDeliveries: Delivery[] }>({
    query: DELIVERIES,
    variables: { channelId: channelId || null, status: status || null },
  });
  const rows = data?.notificationDeliveries ?? [];
  return (
    <section aria-labelledby="deliveries-title">
      <h2 id="deliveries-title">Delivery log</h2>
      <div className="filters">
        <label>
          Channel
          <select aria-label="Channel filter" value={channelId} onChange={(e) => setChannelId(e.target.value)}>
            <option value="">every channel</option>
            {channels.map((c) => <option key={c.id} value={c.id}>{c.name}</option>)}
          </select>
        </label>
        <label>
          Status
          <select aria-label="Status filter" value={status} onChange={(e) => setStatus(e.target.value)}>
            <option value="">any</option>
            <option value="pending">pending</option>
            <option value="delivered">delivered</option>
            <option value="dead">dead</option>
          </select>
        </label>
        <button type="button" className="secondary" disabled={fetching} onClick={() => refetch({ requestPolicy: 'network-only' })}>Refresh</button>
      </div>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && rows.length === 0 && <p className="muted">No deliveries{channelId || status ? ' match' : ' yet'}.</p>}
      {rows.length > 0 && (
        <table className="deliveries">
          <thead>
            <tr><th>Created</th><th>Channel</th><th>Message</th><th>Status</th><th>Attempts</th><th>Last error</th><th /></tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <Fragment key={d.id}>
                <tr data-testid="delivery-row">
                  <td>{at(d.createdAt)}</td>
                  <td>{d.channel.name}</td>
                  <td>{d.title || <span className="muted">{d.kind}</span>}</td>
                  <td className={`delivery-${d.status}`}>
                    {d.status}
                    {d.status === 'delivered' && d.deliveredAt && <span className="muted"> {at(d.deliveredAt)}</span>}
                    {d.status === 'pending' && <span className="muted"> next {at(d.nextAttemptAt)}</span>}
                  </td>
                  <td>
                    <button type="button" className="link" aria-expanded={open === d.id} onClick={() => setOpen(open === d.id ? null : d.id)}>{d.attemptCount}</button>
                  </td>
                  <td className="last-error">{d.lastError ?? ''}</td>
                  <td>{can('admin') && d.status !== 'delivered' && <Retry id={d.id} />}</td>
                </tr>
                {open === d.id && (
                  <tr className="attempts">
                    <td colSpan={7}>
                      {d.attempts.length === 0 && <span className="muted">No attempt yet.</span>}
                      <ol>
                        {d.attempts.map((a, i) => (
                          <li key={i}>
                            {at(a.at)}: {a.ok ? 'ok' : 'failed'}{a.status != null && ` · ${a.status}`} · {a.durationMs} ms{a.error && ` · ${a.error}`}
                          </li>
                        ))}
                      </ol>
                    </td>
                  </tr>
                )}
              </Fragment>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
