// Admins: the people who sign in, their roles, and who may not any more.
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { useSession, type Role } from '../../api/session.tsx';
import { ago, at } from '../../ui/figures.ts';
import { says } from '../../ui/server-error.ts';

const FIELDS = 'id email name role disabled lastLoginAt createdAt';
const USERS = `{ users { ${FIELDS} } }`;
const CREATE = `mutation ($input: CreateUserInput!) { createUser(input: $input) { ${FIELDS} } }`;
const UPDATE = `mutation ($id: ID!, $role: Role, $disabled: Boolean) { updateUser(id: $id, role: $role, disabled: $disabled) { ${FIELDS} } }`;
const ROLES: Role[] = ['viewer', 'analyst', 'admin'];

interface User {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  disabled: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

function UserRow({ user, self }: { user: User; self: boolean }) {
  const [{ fetching, error }, update] = useMutation<{ updateUser: User }>(UPDATE);
  return (
    <tr data-testid="user-row" className={user.disabled ? 'disabled' : ''}>
      <td>{user.email}{self && <span className="muted"> (you)</span>}</td>
      <td>{user.name ?? ''}</td>
      <td>
        <select aria-label={`Role of ${user.email}`} value={user.role} disabled={fetching} onChange={(e) => void update({ id: user.id, role: e.target.value })}>
          {ROLES.map((r) => <option key={r} value={r}>{r}</option>)}
        </select>
      </td>
      <td title={at(user.lastLoginAt)}>{ago(user.lastLoginAt)}</td>
      <td>{user.disabled ? <span className="muted">disabled</span> : 'active'}</td>
      <td>
        <button type="button" className="link" disabled={fetching} onClick={() => (user.disabled || confirm(`Disable ${user.email}? Their sessions end at once.`)) && void update({ id: user.id, disabled: !user.disabled })}>
          {user.disabled ? 'Enable' : 'Disable'}
        </button>
        {error && <div className="error" role="alert">{says(error)}</div>}
      </td>
    </tr>
  );
}

function NewUser({ onCreated }: { onCreated(): void }) {
  const [{ fetching, error }, create] = useMutation(CREATE);
  const [done, setDone] = useState<string | null>(null);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = e.currentTarget;
    const f = new FormData(form);
    setDone(null);
    const input = { email: String(f.get('email')), name: String(f.get('name')).trim() || null, password: String(f.get('password')), role: String(f.get('role')) };
    const r = await create({ input });
    if (r.error) return;
    form.reset();
    setDone(input.email);
    onCreated();
  }

  return (
    <form className="inline-form" aria-label="new user" onSubmit={(e) => void submit(e)}>
      <label>Email<input name="email" type="email" required autoComplete="off" /></label>
      <label>Name<input name="name" autoComplete="off" /></label>
      <label>Password (8+ characters)<input name="password" type="password" required minLength={8} autoComplete="new-password" /></label>
      <label>
        Role
        <select name="role" defaultValue="viewer">{ROLES.map((r) => <option key={r} value={r}>{r}</option>)}</select>
      </label>
      <button type="submit" disabled={fetching}>Create user</button>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {done && !error && <p className="outcome-ok" role="status">{done} can sign in now.</p>}
    </form>
  );
}

export function UsersSection() {
  const { session } = useSession();
  const [{ data, error }, refetch] = useQuery<{ users: User[] }>({ query: USERS });
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      {error && <p className="error" role="alert">{says(error)}</p>}
      {data && (
        <table>
          <thead>
            <tr><th>Email</th><th>Name</th><th>Role</th><th>Last sign-in</th><th>State</th><th /></tr>
          </thead>
          <tbody>
            {data.users.map((u) => <UserRow key={u.id} user={u} self={u.id === session?.user.id} />)}
          </tbody>
        </table>
      )}
      <p className="muted">A role change and disabling take effect at the user's next request; the last enabled admin stays one.</p>
      <NewUser onCreated={() => refetch({ requestPolicy: 'network-only' })} />
    </section>
  );
}
