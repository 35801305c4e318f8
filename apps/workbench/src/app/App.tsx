// The workbench: signed out, the login form; signed in, the shell with the page the path names.
import { useEffect, useMemo } from 'react';
import { Provider } from 'urql';
import { createGraphqlClient } from '../api/client.ts';
import { useSession } from '../api/session.tsx';
import { LoginPage } from '../pages/login/LoginPage.tsx';
import { pages } from './pages.ts';
import { matchPath, useLocation } from './router.tsx';
import { Shell } from './Shell.tsx';

function Routes() {
  const { path } = useLocation();
  for (const page of pages) {
    const params = matchPath(page.path, path);
    if (params) return <page.component params={params} />;
  }
  return <p className="muted">Nothing here: {path}</p>;
}

export function App() {
  const { session, signOut } = useSession();
  const token = session?.token;
  const api = useMemo(() => (token ? createGraphqlClient(token, signOut) : null), [token, signOut]);
  useEffect(() => () => api?.close(), [api]);
  if (!api) return <LoginPage />;
  return (
    <Provider value={api.client}>
      <Shell>
        <Routes />
      </Shell>
    </Provider>
  );
}
