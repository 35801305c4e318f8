// Signing in with email and password; the server answers with a session token and the user.
import { useState, type FormEvent } from 'react';
import { useSession, type Session } from '../../api/session.tsx';

const LOGIN = `mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }`;
const ME = `{ me { id email name role } }`;

async function post<T>(query: string, variables: Record<string, unknown>, token?: string): Promise<T> {
  const res = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as { data?: T; errors?: { message: string }[] };
  if (body.errors?.length || !body.data) throw new Error(body.errors?.[0]?.message ?? `the server answered ${res.status}`);
  return body.data;
}

export function LoginPage() {
  const { signIn } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setBusy(true);
    setError(null);
    try {
      const { login } = await post<{ login: { token: string } }>(LOGIN, { e: form.get('email'), p: form.get('password') });
      // the user is read with the new token: the login answer itself is not signed in yet
      const { me } = await post<{ me: Session['user'] }>(ME, {}, login.token);
      signIn({ token: login.token, user: me });
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="login card" onSubmit={(e) => void submit(e)} aria-label="sign in">
      <h1>esmon</h1>
      <label>
        Email
        <input name="email" type="email" autoComplete="username" required defaultValue="admin@localhost" />
      </label>
      <label>
        Password
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error && <p className="error" role="alert">{error}</p>}
      <button type="submit" disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
