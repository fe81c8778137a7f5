import { StrictMode, useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { ApiError, errorMessage } from '../api/client';
import { fetchMe, recordView, requestReset, saveLocale, savePassword, signIn, signOut as endSession, useTeam, type Me, type Page } from './api';
import { savedLocale, translate, type Key, type Locale } from './i18n';
import {
  CatalogPage,
  DeliveryPage,
  HomePage,
  NeedPage,
  MessagesPage,
  NeedsPage,
  PostPage,
  setPortalZone,
  SolutionsPage,
  TeamBar,
  TicketPage,
  TicketsPage,
  ValuePage,
  type T,
} from './pages';
import './portal.css';

const SECTIONS = [
  ['home', '/portal'],
  ['solutions', '/portal/solutions'],
  ['catalog', '/portal/catalog'],
  ['delivery', '/portal/delivery'],
  ['value', '/portal/value'],
  ['tickets', '/portal/tickets'],
  ['needs', '/portal/needs'],
  ['messages', '/portal/messages'],
] as const;

function usePath(): [string, (p: string) => void] {
  const [path, setPath] = useState(location.pathname.replace(/\/+$/, '') || '/portal');
  useEffect(() => {
    const on = () => setPath(location.pathname.replace(/\/+$/, '') || '/portal');
    addEventListener('popstate', on);
    return () => removeEventListener('popstate', on);
  }, []);
  const nav = (p: string) => {
    history.pushState(null, '', p);
    setPath(p);
    scrollTo(0, 0);
  };
  return [path, nav];
}

function Portal() {
  const [locale, setLocale] = useState<Locale>(savedLocale());
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [path, nav] = usePath();
  const [epoch, setEpoch] = useState(0);
  const t: T = (k, v) => translate(locale, k, v);

  const loadMe = async () => {
    try {
      const m = await fetchMe();
      setPortalZone(m.workspace.timezone);
      setMe(m);
      setLocale(m.locale);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else setLoadError(errorMessage(e));
    }
  };
  // biome-ignore lint/correctness/useExhaustiveDependencies: once, on mount
  useEffect(() => {
    void loadMe();
  }, []);
  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = `Keyward · ${translate(locale, 'title')}`;
  }, [locale]);

  const switchLocale = () => {
    const next: Locale = locale === 'en' ? 'zh-CN' : 'en';
    setLocale(next);
    localStorage.setItem('kw.locale', next);
    // what the server words (service names, report labels, team seats) comes back in the new language:
    // once the server knows it, the page loads its data again
    if (me)
      void saveLocale(next).then(
        () => setEpoch((n) => n + 1),
        () => undefined,
      );
  };
  const signOut = async () => {
    await endSession();
    setMe(null);
    nav('/portal');
  };
  const token = new URLSearchParams(location.search).get('token');
  const linkPage = path === '/portal/accept' || path === '/portal/reset';

  return (
    <>
      <header className="p-top">
        <span className="p-brand">
          <span className="p-mark">K</span>
          <span data-testid="portal-account">{me?.kind === 'key_person' && me.account ? me.account.name : t('title')}</span>
        </span>
        <span>
          <button type="button" className="p-link" onClick={switchLocale} data-testid="lang-switch">
            {locale === 'en' ? '中文' : 'EN'}
          </button>
          {me && (
            <button type="button" className="p-link" onClick={() => void signOut()} data-testid="sign-out">
              {t('signOut')}
            </button>
          )}
        </span>
      </header>
      <main className="p-main">
        {loadError ? (
          <div className="p-card p-error">
            {t('loadFailed')} ({loadError})
          </div>
        ) : linkPage && token ? (
          <SetPassword t={t} purpose={path === '/portal/accept' ? 'accept' : 'reset'} token={token} onDone={() => nav('/portal')} />
        ) : me === undefined ? (
          <p className="p-muted">{t('loading')}</p>
        ) : me === null ? (
          <Login
            t={t}
            onDone={(m) => {
              setPortalZone(m.workspace.timezone);
              // the person's own language (as on a reload): what the server words comes in it
              setLocale(m.locale);
              setMe(m);
            }}
          />
        ) : me.kind === 'staff' ? (
          <div className="p-card">
            <p>{t('staffSignedIn')}</p>
            <a href="/">{t('goConsole')} →</a>
          </div>
        ) : (
          <Community key={epoch} me={me} t={t} path={path} nav={nav} />
        )}
      </main>
    </>
  );
}

function Community({ me, t, path, nav }: { me: Me; t: T; path: string; nav: (p: string) => void }) {
  const team = useTeam();
  const section = SECTIONS.slice(1).find(([, p]) => path === p || path.startsWith(`${p}/`))?.[0] ?? 'home';
  // the messages are not one of the pages whose views the team sees (a message read is recorded on its own)
  const page: Page | null = path === '/portal/posts' || path.startsWith('/portal/posts/') || section === 'messages' ? null : section;
  useEffect(() => {
    if (page) void recordView(page).catch(() => undefined);
  }, [page]);
  const id = path.split('/')[3];
  let body: ReactNode;
  if (path.startsWith('/portal/posts/') && id) body = <PostPage id={id} t={t} nav={nav} />;
  else if (path.startsWith('/portal/tickets/') && id) body = <TicketPage id={id} t={t} />;
  else if (path.startsWith('/portal/needs/') && id) body = <NeedPage id={id} t={t} />;
  else if (section === 'solutions') body = <SolutionsPage t={t} nav={nav} />;
  else if (section === 'catalog') body = <CatalogPage t={t} />;
  else if (section === 'delivery') body = <DeliveryPage t={t} />;
  else if (section === 'value') body = <ValuePage t={t} />;
  else if (section === 'tickets') body = <TicketsPage t={t} nav={nav} />;
  else if (section === 'needs') body = <NeedsPage t={t} nav={nav} />;
  else if (section === 'messages') body = <MessagesPage t={t} />;
  else body = <HomePage t={t} nav={nav} />;
  return (
    <>
      <div className="p-hero">
        <h1 data-testid="portal-welcome">{t('welcome', { name: me.name })}</h1>
        <div className="p-muted">
          {t('yourAccount')}: <b>{me.account?.name}</b> · {me.workspace.name}
        </div>
        {team && <TeamBar t={t} team={team.team} />}
      </div>
      <nav className="p-nav" data-testid="portal-nav">
        {SECTIONS.map(([k, p]) => (
          <a
            key={k}
            href={p}
            className={section === k ? 'on' : ''}
            onClick={(e) => {
              e.preventDefault();
              nav(p);
            }}
            data-testid={`nav-${k}`}
          >
            {t(`nav_${k}` as Key)}
          </a>
        ))}
      </nav>
      {body}
    </>
  );
}

function Login({ t, onDone }: { t: T; onDone: (m: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [forgot, setForgot] = useState(false);
  const [info, setInfo] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setInfo(null);
    if (forgot) {
      if (!email.trim()) return setError(t('required'));
      try {
        setInfo((await requestReset(email.trim())).message);
      } catch (err) {
        setError(errorMessage(err));
      }
      return;
    }
    if (!email.trim() || !password) return setError(t('required'));
    setBusy(true);
    try {
      // then GET /api/auth/me, which works for key persons too and carries the CSRF token and the account
      onDone(await signIn(email.trim(), password));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="p-card p-login" onSubmit={(e) => void submit(e)} data-testid="portal-login-form">
      <h1>{t('title')}</h1>
      <div className="p-muted">{t('subtitle')}</div>
      <label className="p-field">
        {t('email')}
        <input type="email" autoComplete="username" value={email} onChange={(e) => setEmail(e.target.value)} data-testid="login-email" />
      </label>
      {!forgot && (
        <label className="p-field">
          {t('password')}
          <input
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-testid="login-password"
          />
        </label>
      )}
      {error && (
        <div className="p-error" role="alert" data-testid="login-error">
          {error}
        </div>
      )}
      {info && <div className="p-ok">{info}</div>}
      <button className="p-btn block" type="submit" disabled={busy} data-testid="login-submit">
        {forgot ? t('sendReset') : busy ? t('signingIn') : t('signIn')}
      </button>
      <button type="button" className="p-link" onClick={() => setForgot(!forgot)} data-testid="forgot">
        {forgot ? t('backToLogin') : t('forgot')}
      </button>
      <p className="p-muted" style={{ fontSize: 12, marginTop: 16 }}>
        {t('hint')}
      </p>
    </form>
  );
}

function SetPassword({ t, purpose, token, onDone }: { t: T; purpose: 'accept' | 'reset'; token: string; onDone: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    try {
      await savePassword(purpose, token, password);
      setDone(true);
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  return (
    <form className="p-card p-login" onSubmit={(e) => void submit(e)}>
      <h1>{t(purpose === 'accept' ? 'acceptTitle' : 'resetTitle')}</h1>
      {done ? (
        <>
          <div className="p-ok">{t('passwordSet')}</div>
          <button type="button" className="p-btn block" onClick={onDone}>
            {t('signIn')}
          </button>
        </>
      ) : (
        <>
          <label className="p-field">
            {t('newPassword')}
            <input type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} />
          </label>
          {error && <div className="p-error">{error}</div>}
          <button className="p-btn block" type="submit">
            {t('setPassword')}
          </button>
        </>
      )}
    </form>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
