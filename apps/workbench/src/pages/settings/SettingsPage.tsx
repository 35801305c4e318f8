// Settings: users, API keys, retention and storage for admins (every query of theirs is
// admin-only, so nobody else issues them); everyone sees their own account.
import { useQuery } from 'urql';
import type { PageProps } from '../../app/page-props.ts';
import { useSession } from '../../api/session.tsx';
import { at } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';
import { ApiKeysSection } from './ApiKeysSection.tsx';
import { StorageSection } from './StorageSection.tsx';
import { UsersSection } from './UsersSection.tsx';
import './settings.css';

const ME = `{ me { id email name role lastLoginAt createdAt } }`;

function Account() {
  const [{ data, error }] = useQuery<{ me: { id: string; email: string; name: string | null; role: string; lastLoginAt: string | null; createdAt: string } }>({ query: ME });
  return (
    <section aria-labelledby="account-title">
      <h2 id="account-title">Your account</h2>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && (
        <dl className="account card">
          <dt>Email</dt><dd>{data.me.email}</dd>
          <dt>Name</dt><dd>{data.me.name ?? '—'}</dd>
          <dt>Role</dt><dd data-testid="my-role">{data.me.role}</dd>
          <dt>Signed in</dt><dd>{at(data.me.lastLoginAt)}</dd>
          <dt>Since</dt><dd>{at(data.me.createdAt)}</dd>
        </dl>
      )}
    </section>
  );
}

export default function SettingsPage(_props: PageProps) {
  const { can } = useSession();
  const admin = can('admin');
  return (
    <section className="settings-page">
      <h1>Settings</h1>
      <Account />
      {admin ? (
        <>
          <UsersSection />
          <ApiKeysSection />
          <StorageSection />
        </>
      ) : (
        <p className="muted" data-testid="admin-only-note">Users, API keys, retention and storage are managed by admins.</p>
      )}
    </section>
  );
}
