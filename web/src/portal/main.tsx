import { StrictMode, useEffect, useState, type FormEvent } from 'react';
import { createRoot } from 'react-dom/client';
import { api, errorMessage, setCsrfToken } from '../app/api';
import { savedLocale, translate, type Key, type Locale } from './i18n';
import './portal.css';

type Me = {
  kind: 'staff' | 'key_person';
  name: string;
  locale: Locale;
  workspace: { name: string };
  account: { id: string; name: string } | null;
  csrfToken: string;
};

function Portal() {
  const [locale, setLocale] = useState<Locale>(savedLocale());
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | null>(null);
  const t = (k: Key, v?: Record<string, string>) => translate(locale, k, v);

  const loadMe = async () => {
    try {
      const m = await api.get<Me>('/api/auth/me', undefined, { quiet401: true });
      setCsrfToken(m.csrfToken);
      setMe(m);
      setLocale(m.locale);
    } catch (e) {
      if ((e as { status?: number }).status === 401) setMe(null);
      else setLoadError(errorMessage(e));
    }
  };
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
    if (me) void api.patch('/api/auth/me', { locale: next }).catch(() => undefined);
  };
  const signOut = async () => {
    await api.post('/api/auth/logout').catch(() => undefined);
    setCsrfToken(null);
    setMe(null);
  };

  return (
    <>
      <header className="p-top">
        <span className="p-brand">
          <span className="p-mark">K</span>
          {me?.kind === 'key_person' && me.account ? me.account.name : t('title')}
        </span>
        <span>
          <button className="p-link" onClick={switchLocale} data-testid="lang-switch">
            {locale === 'en' ? '中文' : 'EN'}
          </button>
          {me && (
            <button className="p-link" onClick={() => void signOut()}>
              {t('signOut')}
            </button>
          )}
        </span>
      </header>
      <main className="p-main">
        {loadError ? (
          <div className="p-card p-error">{t('loadFailed')} ({loadError})</div>
        ) : me === undefined ? (
          <p className="p-muted">{t('loading')}</p>
        ) : me === null ? (
          <Login t={t} onDone={(m) => setMe(m)} />
        ) : me.kind === 'staff' ? (
          <div className="p-card">
            <p>{t('staffSignedIn')}</p>
            <a href="/">{t('goConsole')} →</a>
          </div>
        ) : (
          <Home me={me} t={t} />
        )}
      </main>
    </>
  );
}

function Login({ t, onDone }: { t: (k: Key) => string; onDone: (m: Me) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!email.trim() || !password) return setError(t('required'));
    setBusy(true);
    setError(null);
    try {
      await api.post<Me>('/api/portal/auth/login', { email: email.trim(), password }, { quiet401: true });
      // GET /api/auth/me works for key persons too and carries the CSRF token and the account
      const me = await api.get<Me>('/api/auth/me', undefined, { quiet401: true });
      setCsrfToken(me.csrfToken);
      onDone(me);
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
      <label className="p-field">
        {t('password')}
        <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} data-testid="login-password" />
      </label>
      {error && (
        <div className="p-error" role="alert" data-testid="login-error">
          {error}
        </div>
      )}
      <button className="p-btn block" type="submit" disabled={busy} data-testid="login-submit">
        {busy ? t('signingIn') : t('signIn')}
      </button>
      <p className="p-muted" style={{ fontSize: 12, marginTop: 16 }}>
        {t('hint')}
      </p>
    </form>
  );
}

function Home({ me, t }: { me: Me; t: (k: Key, v?: Record<string, string>) => string }) {
  return (
    <div className="p-card p-hero">
      <h2 data-testid="portal-welcome">{t('welcome', { name: me.name })}</h2>
      <div className="p-muted">
        {t('yourAccount')}: <b data-testid="portal-account">{me.account?.name}</b> · {me.workspace.name}
      </div>
      <div className="p-grid">
        {t('sections')
          .split(' · ')
          .map((s) => (
            <div className="p-tile" key={s}>
              <b>{s}</b>
              {t('comingSoon')}
            </div>
          ))}
      </div>
      <p className="p-muted" style={{ marginTop: 16 }}>
        {t('sectionsHint')}
      </p>
    </div>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Portal />
  </StrictMode>,
);
