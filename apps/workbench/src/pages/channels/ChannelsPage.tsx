// Notifications: the channels (forms generated from each type's schema), the routing policy
// and the delivery log.
import { useState } from 'react';
import { useQuery } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { useSession } from '../../api/session.tsx';
import { says } from '../../ui/server-error.ts';
import { CHANNELS, TYPES, type Channel, type ChannelType } from './api.ts';
import { ChannelEditor } from './ChannelEditor.tsx';
import { DeliveryLog } from './DeliveryLog.tsx';
import { PolicySection } from './PolicySection.tsx';
import './channels.css';

type Selection = { channel: string } | { newOf: string } | null;

export default function ChannelsPage(_props: PageProps) {
  const { can } = useSession();
  const [types] = useQuery<{ notificationChannelTypes: ChannelType[] }>({ query: TYPES });
  const [channels, refetch] = useQuery<{ notificationChannels: Channel[] }>({ query: CHANNELS });
  const [selected, setSelected] = useState<Selection>(null);
  const [newType, setNewType] = useState('webhook');
  const typeList = types.data?.notificationChannelTypes ?? [];
  const list = channels.data?.notificationChannels ?? [];
  const typeOf = (t: string) => typeList.find((x) => x.type === t);
  const current = selected && 'channel' in selected ? list.find((c) => c.id === selected.channel) : undefined;
  const currentType = current ? typeOf(current.type) : selected && 'newOf' in selected ? typeOf(selected.newOf) : undefined;
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const error = types.error ?? channels.error;

  return (
    <section className="channels-page">
      <h1>Notifications</h1>
      {error && <p className="error" role="alert">{says(error)}</p>}
      <h2>Channels</h2>
      <div className="channels-layout">
        <div className="channel-list card">
          <ul aria-label="channels">
            {list.map((c) => (
              <li key={c.id}>
                <button
                  type="button"
                  className="link"
                  aria-current={current?.id === c.id ? 'true' : undefined}
                  onClick={() => setSelected({ channel: c.id })}
                >
                  {c.name}
                </button>{' '}
                <span className="muted">{typeOf(c.type)?.title ?? c.type}{c.enabled ? '' : ' · disabled'}</span>
              </li>
            ))}
            {channels.data && list.length === 0 && <li className="muted">No channel yet.</li>}
          </ul>
          {can('admin') && typeList.length > 0 && (
            <div className="new-channel">
              <label>
                Type
                <select aria-label="New channel type" value={newType} onChange={(e) => setNewType(e.target.value)}>
                  {typeList.map((t) => <option key={t.type} value={t.type}>{t.title}</option>)}
                </select>
              </label>
              <button type="button" onClick={() => setSelected({ newOf: newType })}>New channel</button>
            </div>
          )}
        </div>
        <div className="channel-detail">
          {!selected && <p className="muted">Pick a channel to see its configuration{can('admin') ? ', or make a new one' : ''}.</p>}
          {selected && currentType && (
            <ChannelEditor
              key={current ? current.id : `new-${currentType.type}`}
              type={currentType}
              {...(current ? { channel: current } : {})}
              onCreated={(id) => {
                reload();
                setSelected({ channel: id });
              }}
              onDeleted={() => {
                setSelected(null);
                reload();
              }}
            />
          )}
        </div>
      </div>
      <PolicySection />
      <DeliveryLog channels={list} />
    </section>
  );
}
