// Who is signed in: the session token (kept for this tab in sessionStorage), the user and their
// role. The role decides what the UI offers; the server decides what is allowed.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

export type Role = 'viewer' | 'analyst' | 'admin';
const RANK: Record<Role, number> = { viewer: 0, analyst: 1, admin: 2 };

export interface SessionUser {
  id: string;
  email: string;
  name: string | null;
  role: Role;
}

export interface Session {
  token: string;
  user: SessionUser;
}

interface SessionApi {
  session: Session | null;
  signIn(session: Session): void;
  signOut(): void;
  /** whether the signed-in user's role reaches `role` */
  can(role: Role): boolean;
}

const KEY = 'esmon.session';
const SessionContext = createContext<SessionApi | null>(null);

function stored(): Session | null {
  try {
    const raw = sessionStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Session) : null;
    return s && typeof s.token === 'string' && s.user && s.user.role in RANK ? s : null;
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<Session | null>(stored);
  const signIn = useCallback((s: Session) => {
    sessionStorage.setItem(KEY, JSON.stringify(s));
    setSession(s);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setSession(null);
  }, []);
  const api = useMemo<SessionApi>(
    () => ({ session, signIn, signOut, can: (role) => !!session && RANK[session.user.role] >= RANK[role] }),
    [session, signIn, signOut],
  );
  return <SessionContext.Provider value={api}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const api = useContext(SessionContext);
  if (!api) throw new Error('useSession outside SessionProvider');
  return api;
}
