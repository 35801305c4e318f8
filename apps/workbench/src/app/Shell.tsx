// The frame around every page: navigation from the page registry, who is signed in with which
// role, and signing out.
import { Suspense, type ReactNode } from 'react';
import { useMutation } from 'urql';
import { useSession } from '../api/session.tsx';
import { pages } from './pages.ts';
import { Link, useLocation } from './router.tsx';

export function Shell({ children }: { children: ReactNode }) {
  const { session, signOut } = useSession();
  const { path } = useLocation();
  const [, logout] = useMutation('mutation { logout }');
  const current = (p: string) => (p === '/' ? path === '/' : path === p || path.startsWith(`${p}/`));
  return (
    <div className="shell">
      <header className="topbar">
        <Link to="/" className="brand">esmon</Link>
        <nav aria-label="main">
          {pages.filter((p) => p.nav).map((p) => (
            <Link key={p.path} to={p.path} aria-current={current(p.path) ? 'page' : undefined}>{p.nav}</Link>
          ))}
        </nav>
        <span className="who" data-testid="who">
          {session?.user.email} <span className={`role role-${session?.user.role}`}>{session?.user.role}</span>
        </span>
        <button type="button" className="link" onClick={() => void logout({}).finally(signOut)}>Sign out</button>
      </header>
      <main>
        <Suspense fallback={<p className="muted">Loading…</p>}>{children}</Suspense>
      </main>
    </div>
  );
}
