/** Who is signed in: the token in localStorage and `GET /auth/me`, shared through context. */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, getToken, onUnauthorized, setToken } from '../api/client';
import type { LoginResult, Me } from '../api/types';

type Session = {
  me: Me | null;
  /** True while the stored token is being checked at start. */
  checking: boolean;
  login: (username: string, password: string) => Promise<Me>;
  logout: () => Promise<void>;
};

const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [me, setMe] = useState<Me | null>(null);
  const [checking, setChecking] = useState(() => getToken() !== null);

  useEffect(() => {
    if (!getToken()) return;
    api<Me>('/auth/me').then(
      (m) => {
        setMe(m);
        setChecking(false);
      },
      () => {
        setToken(null);
        setChecking(false);
      },
    );
  }, []);

  useEffect(
    () =>
      onUnauthorized(() => {
        setToken(null);
        setMe(null);
      }),
    [],
  );

  const login = useCallback(async (username: string, password: string) => {
    const res = await api<LoginResult>('/auth/login', { method: 'POST', body: { username, password } });
    setToken(res.token);
    const m = await api<Me>('/auth/me');
    setMe(m);
    return m;
  }, []);

  const logout = useCallback(async () => {
    try {
      await api('/auth/logout', { method: 'POST' });
    } catch {
      /* the token may already be gone; sign out locally anyway */
    }
    setToken(null);
    setMe(null);
  }, []);

  const value = useMemo(() => ({ me, checking, login, logout }), [me, checking, login, logout]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

/** The signed-in user, inside a workspace (where sign-in is guaranteed). */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe without a session');
  return me;
}
