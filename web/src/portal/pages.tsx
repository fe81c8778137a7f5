import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import type { Key } from './i18n';
import {
  attachmentUrl,
  attachToTicket,
  createNeed,
  createTicket,
  markMessageRead,
  rateTicket,
  replyToNeed,
  replyToTicket,
  requestCatalogItem,
  setReceiving,
  useCatalog,
  useInbox,
  useMeetings,
  useMilestones,
  useNeed,
  useNeeds,
  usePost,
  usePosts,
  useTicket,
  useTickets,
  useValueReport,
  valueReportPdfUrl,
  type NewTicket,
  type PostSummary,
  type TeamMember,
} from './api';

export type T = (k: Key, v?: Record<string, string>) => string;
export type Nav = (path: string) => void;

/** Shows loading and errors the same way everywhere. */
function Loading({ t, err, children, ready }: { t: T; err: string | null; ready: boolean; children: () => ReactNode }) {
  if (err) return <div className="p-error">{err}</div>;
  if (!ready) return <p className="p-muted">{t('loading')}</p>;
  return <>{children()}</>;
}

/**
 * Times are the workspace's (never the browser's zone, never a UTC date or an ISO string): the zone
 * comes with the session (`/api/auth/me` → `workspace.timezone`) and is set by main.tsx.
 */
let zone: string | undefined;
export function setPortalZone(z: string | null | undefined) {
  zone = z || undefined;
}
const part = (d: Date, o: Intl.DateTimeFormatOptions) => {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, hourCycle: 'h23', ...o }).formatToParts(d);
  return (t: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === t)?.value ?? '';
};
/** `YYYY-MM-DD` of a moment in the workspace's zone (a plain day stays as it is). */
export function fmtDate(s: string | null | undefined): string {
  if (!s) return '';
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return s;
  const p = part(new Date(s), { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p('year')}-${p('month')}-${p('day')}`;
}
/** `YYYY-MM-DD HH:mm` of a moment in the workspace's zone. */
export function fmtDateTime(s: string | null | undefined): string {
  if (!s) return '';
  const p = part(new Date(s), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  return `${p('year')}-${p('month')}-${p('day')} ${p('hour')}:${p('minute')}`;
}

/** An in-portal link: a real href (open in new tab works), navigated without a reload. */
function PortalLink({ to, nav, children }: { to: string; nav: Nav; children: ReactNode }) {
  return (
    <a
      href={to}
      onClick={(e) => {
        e.preventDefault();
        nav(to);
      }}
    >
      {children}
    </a>
  );
}

function PostList({ items, t, nav, testid }: { items: PostSummary[]; t: T; nav: Nav; testid: string }) {
  if (!items.length) return <p className="p-muted">{t('empty')}</p>;
  return (
    <ul className="p-list" data-testid={testid}>
      {items.map((p) => (
        <li key={p.id}>
          <PortalLink to={`/portal/posts/${p.id}`} nav={nav}>
            {p.title}
          </PortalLink>
          {p.hot && <span className="p-tag hot">HOT</span>}
          <div className="p-muted">
            {p.summary} {p.eventOn ? `· ${t('eventOn')} ${p.eventOn}` : ''}
          </div>
        </li>
      ))}
    </ul>
  );
}

/** A time in the workspace's zone, in the reader's language (never an ISO string). */
function when(iso: string, timeZone: string, locale: string) {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'short',
    hour12: false,
  }).format(new Date(iso));
}

/** The meetings the team invited this key person to: when, where, who organises (never the agenda). */
function MyMeetings({ t }: { t: T }) {
  const [d, err] = useMeetings();
  const locale = document.documentElement.lang || 'zh-CN';
  return (
    <section className="p-card" data-testid="home-meetings">
      <h2>{t('meetings')}</h2>
      <Loading t={t} err={err} ready={!!d}>
        {() =>
          d!.items.length ? (
            <ul className="p-list">
              {d!.items.map((m) => (
                <li key={m.id} data-testid="portal-meeting">
                  <b>{m.title}</b> <span className="p-tag">{t(`meeting_${m.status}` as Key)}</span>
                  <div className="p-muted">
                    {when(m.startsAt, d!.timezone, locale)}–
                    {new Intl.DateTimeFormat(locale, { timeZone: d!.timezone, hour: '2-digit', minute: '2-digit', hour12: false }).format(
                      new Date(m.endsAt),
                    )}
                    {m.location ? ` · ${m.location}` : ''} · {t('organiser')} {m.organizerName}
                  </div>
                </li>
              ))}
            </ul>
          ) : (
            <p className="p-muted">{t('meetingsEmpty')}</p>
          )
        }
      </Loading>
    </section>
  );
}

export function HomePage({ t, nav }: { t: T; nav: Nav }) {
  const [news, e1] = usePosts();
  return (
    <Loading t={t} err={e1} ready={!!news}>
      {() => {
        const all = news!.items;
        return (
          <div className="p-cols">
            <MyMeetings t={t} />
            <section className="p-card">
              <h2>{t('news')}</h2>
              <PostList items={all.filter((p) => p.kind === 'news' || p.kind === 'event')} t={t} nav={nav} testid="home-news" />
            </section>
            <section className="p-card">
              <h2>{t('hot')}</h2>
              <PostList items={all.filter((p) => p.kind === 'product')} t={t} nav={nav} testid="home-products" />
            </section>
          </div>
        );
      }}
    </Loading>
  );
}

export function SolutionsPage({ t, nav }: { t: T; nav: Nav }) {
  const [d, err] = usePosts('solution');
  return (
    <section className="p-card">
      <h2>{t('nav_solutions')}</h2>
      <Loading t={t} err={err} ready={!!d}>
        {() => <PostList items={d!.items} t={t} nav={nav} testid="solutions" />}
      </Loading>
    </section>
  );
}

export function PostPage({ id, t, nav }: { id: string; t: T; nav: Nav }) {
  const [p, err] = usePost(id);
  return (
    <section className="p-card">
      <button type="button" className="p-link" onClick={() => history.back()}>
        {t('back')}
      </button>
      <Loading t={t} err={err} ready={!!p}>
        {() => (
          <article data-testid="post">
            <h2>{p!.title}</h2>
            <div className="p-muted">{fmtDate(p!.publishedAt)}</div>
            {/* rich text: sanitised by the server on save and again on the way out; the page's CSP forbids inline scripts */}
            {/* biome-ignore lint/security/noDangerouslySetInnerHtml: bodyHtml is sanitised on save by the server (sanitize-html allow-list, portal/content.domain.ts) */}
            <div className="p-rich" dangerouslySetInnerHTML={{ __html: p!.bodyHtml }} />
            {p!.kind === 'product' || p!.kind === 'solution' ? (
              <button type="button" className="p-btn" onClick={() => nav('/portal/catalog')}>
                {t('nav_catalog')} →
              </button>
            ) : null}
          </article>
        )}
      </Loading>
    </section>
  );
}

export function CatalogPage({ t }: { t: T }) {
  const [d, err] = useCatalog();
  const [open, setOpen] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [done, setDone] = useState<Record<string, boolean>>({});
  const [msg, setMsg] = useState<string | null>(null);
  const send = async (id: string) => {
    setMsg(null);
    try {
      await requestCatalogItem(id, note.trim() || null);
      setDone((x) => ({ ...x, [id]: true }));
      setOpen(null);
      setNote('');
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  return (
    <section className="p-card">
      <h2>{t('nav_catalog')}</h2>
      <Loading t={t} err={err} ready={!!d}>
        {() => (
          <div className="p-grid" data-testid="catalog">
            {d!.items.map((i) => (
              <div className="p-item" key={i.id} data-testid="catalog-item">
                <b>{i.name}</b> <span className={`p-tag ${i.pricing}`}>{t(i.pricing === 'paid' ? 'paid' : 'free')}</span>
                {i.description && <div className="p-muted">{i.description}</div>}
                {done[i.id] ? (
                  <div className="p-ok" data-testid="requested">
                    {t('requested')}
                  </div>
                ) : open === i.id ? (
                  <div>
                    <textarea
                      className="p-input"
                      placeholder={t('requestNote')}
                      value={note}
                      onChange={(e) => setNote(e.target.value)}
                      data-testid="request-note"
                    />
                    <button type="button" className="p-btn" onClick={() => void send(i.id)} data-testid="request-send">
                      {t('submit')}
                    </button>
                    {msg && <div className="p-error">{msg}</div>}
                  </div>
                ) : (
                  <button type="button" className="p-btn ghost" onClick={() => setOpen(i.id)} data-testid="request-open">
                    {t('request')}
                  </button>
                )}
              </div>
            ))}
          </div>
        )}
      </Loading>
    </section>
  );
}

export function DeliveryPage({ t }: { t: T }) {
  const [d, err] = useMilestones();
  return (
    <section className="p-card">
      <h2>{t('nav_delivery')}</h2>
      <Loading t={t} err={err} ready={!!d}>
        {() =>
          d!.items.length ? (
            <ol className="p-steps" data-testid="milestones">
              {d!.items.map((m) => (
                <li key={m.id} className={`s-${m.status}`}>
                  <b>{m.project}</b> · {m.title} <span className={`p-tag s-${m.status}`}>{t(`status_${m.status}` as Key)}</span>
                  <div className="p-muted">
                    {m.dueOn && `${t('due')} ${m.dueOn}`} {m.doneOn && `· ${t('doneOn')} ${m.doneOn}`}
                  </div>
                </li>
              ))}
            </ol>
          ) : (
            <p className="p-muted">{t('empty')}</p>
          )
        }
      </Loading>
    </section>
  );
}

export function ValuePage({ t }: { t: T }) {
  const [r, err] = useValueReport();
  return (
    <section className="p-card">
      <h2>{t('nav_value')}</h2>
      <Loading t={t} err={err} ready={!!r}>
        {() =>
          r!.items.length ? (
            <>
              <a className="p-btn" href={valueReportPdfUrl()} download data-testid="value-pdf">
                {t('downloadPdf')}
              </a>
              <table className="p-table" data-testid="value-items">
                <thead>
                  <tr>
                    <th />
                    <th>{t('baseline')}</th>
                    <th>{t('target')}</th>
                    <th>{t('latest')}</th>
                  </tr>
                </thead>
                <tbody>
                  {r!.items.map((i) => (
                    <tr key={i.key}>
                      <td>
                        {i.name}
                        <div className="p-muted">{i.stageLabel}</div>
                      </td>
                      <td>
                        {i.baseline} {i.unitLabel}
                      </td>
                      <td>{i.target}</td>
                      <td>{i.latest ?? '—'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : (
            <p className="p-muted">{t('noReport')}</p>
          )
        }
      </Loading>
    </section>
  );
}

const KINDS = ['product_issue', 'expert_request', 'customisation', 'complaint', 'new_need'] as const;
const SEVS = ['critical', 'high', 'medium', 'low'] as const;

export function TicketsPage({ t, nav }: { t: T; nav: Nav }) {
  const [d, err, reload] = useTickets();
  const [f, setF] = useState<NewTicket>({ title: '', description: '', kind: 'product_issue', severity: 'medium' });
  const [msg, setMsg] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    try {
      await createTicket(f);
      setF({ title: '', description: '', kind: 'product_issue', severity: 'medium' });
      reload();
    } catch (x) {
      setMsg(errorMessage(x));
    }
  };
  return (
    <div className="p-cols">
      <section className="p-card">
        <h2>{t('nav_tickets')}</h2>
        <Loading t={t} err={err} ready={!!d}>
          {() =>
            d!.items.length ? (
              <ul className="p-list" data-testid="tickets">
                {d!.items.map((x) => (
                  <li key={x.id}>
                    <PortalLink to={`/portal/tickets/${x.id}`} nav={nav}>
                      #{x.number} {x.title}
                    </PortalLink>
                    <span className={`p-tag t-${x.status}`}>{t(`ticket_${x.status}` as Key)}</span>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="p-muted">{t('empty')}</p>
            )
          }
        </Loading>
      </section>
      <form className="p-card" onSubmit={(e) => void submit(e)}>
        <h2>{t('newTicket')}</h2>
        <input
          className="p-input"
          placeholder={t('ticketTitle')}
          value={f.title}
          onChange={(e) => setF({ ...f, title: e.target.value })}
          required
          maxLength={200}
          data-testid="ticket-title"
        />
        <textarea
          className="p-input"
          placeholder={t('description')}
          value={f.description}
          onChange={(e) => setF({ ...f, description: e.target.value })}
          required
          data-testid="ticket-description"
        />
        <select className="p-input" value={f.kind} onChange={(e) => setF({ ...f, kind: e.target.value as NewTicket['kind'] })} aria-label={t('kind')}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind_${k}` as Key)}
            </option>
          ))}
        </select>
        <select
          className="p-input"
          value={f.severity}
          onChange={(e) => setF({ ...f, severity: e.target.value as NewTicket['severity'] })}
          aria-label={t('severity')}
        >
          {SEVS.map((k) => (
            <option key={k} value={k}>
              {t(`sev_${k}` as Key)}
            </option>
          ))}
        </select>
        {msg && <div className="p-error">{msg}</div>}
        <button className="p-btn" type="submit" data-testid="ticket-submit">
          {t('submit')}
        </button>
      </form>
    </div>
  );
}

export function TicketPage({ id, t }: { id: string; t: T }) {
  const [x, err, reload] = useTicket(id);
  const [body, setBody] = useState('');
  const [score, setScore] = useState(5);
  const [comment, setComment] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  const act = async (fn: () => Promise<unknown>) => {
    setMsg(null);
    try {
      await fn();
      reload();
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  return (
    <section className="p-card">
      <button type="button" className="p-link" onClick={() => history.back()}>
        {t('back')}
      </button>
      <Loading t={t} err={err} ready={!!x}>
        {() => (
          <div data-testid="ticket">
            <h2>
              #{x!.number} {x!.title} <span className={`p-tag t-${x!.status}`}>{t(`ticket_${x!.status}` as Key)}</span>
            </h2>
            <p className="p-pre">{x!.description}</p>
            <ul className="p-thread">
              {x!.messages.map((m) => (
                <li key={m.id} className={m.authorKind === 'key_person' ? 'me' : 'them'}>
                  <b>{m.authorName}</b> <span className="p-muted">{fmtDateTime(m.createdAt)}</span>
                  <div className="p-pre">{m.body}</div>
                </li>
              ))}
            </ul>
            {x!.attachments.map((a) => (
              <div key={a.id}>
                <a href={attachmentUrl(id, a.id)} download>
                  📎 {a.fileName}
                </a>
              </div>
            ))}
            <textarea className="p-input" value={body} onChange={(e) => setBody(e.target.value)} placeholder={t('reply')} />
            <button
              type="button"
              className="p-btn"
              disabled={!body.trim()}
              onClick={() =>
                void act(async () => {
                  await replyToTicket(id, body);
                  setBody('');
                })
              }
            >
              {t('send')}
            </button>
            <label className="p-field">
              {t('attach')}
              <input type="file" onChange={(e) => e.target.files?.[0] && void act(() => attachToTicket(id, e.target.files![0]))} />
            </label>
            {x!.status === 'resolved' || x!.status === 'closed' ? (
              x!.csat ? (
                <p className="p-ok">
                  {t('rated')} · {'★'.repeat(x!.csat.score)}
                </p>
              ) : (
                <div>
                  <h3>{t('rate')}</h3>
                  <select className="p-input" value={score} onChange={(e) => setScore(Number(e.target.value))}>
                    {[5, 4, 3, 2, 1].map((s) => (
                      <option key={s} value={s}>
                        {'★'.repeat(s)}
                      </option>
                    ))}
                  </select>
                  <input className="p-input" value={comment} onChange={(e) => setComment(e.target.value)} placeholder={t('comment')} />
                  <button type="button" className="p-btn" onClick={() => void act(() => rateTicket(id, score, comment || null))}>
                    {t('submit')}
                  </button>
                </div>
              )
            ) : null}
            {msg && <div className="p-error">{msg}</div>}
          </div>
        )}
      </Loading>
    </section>
  );
}

export function NeedsPage({ t, nav }: { t: T; nav: Nav }) {
  const [d, err, reload] = useNeeds();
  const [f, setF] = useState({ title: '', body: '' });
  const [msg, setMsg] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setMsg(null);
    try {
      await createNeed(f);
      setF({ title: '', body: '' });
      reload();
    } catch (x) {
      setMsg(errorMessage(x));
    }
  };
  return (
    <div className="p-cols">
      <section className="p-card">
        <h2>{t('nav_needs')}</h2>
        <Loading t={t} err={err} ready={!!d}>
          {() =>
            d!.items.length ? (
              <ul className="p-list" data-testid="needs">
                {d!.items.map((x) => (
                  <li key={x.id}>
                    <PortalLink to={`/portal/needs/${x.id}`} nav={nav}>
                      {x.title}
                    </PortalLink>
                    <span className={`p-tag n-${x.status}`}>{t(`need_${x.status}` as Key)}</span>
                    <div className="p-muted">
                      {x.by} · {fmtDateTime(x.lastActivityAt)} · {x.messages} {t('messages')}
                    </div>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="p-muted">{t('empty')}</p>
            )
          }
        </Loading>
      </section>
      <form className="p-card" onSubmit={(e) => void submit(e)}>
        <h2>{t('newNeed')}</h2>
        <input
          className="p-input"
          placeholder={t('needTitle')}
          value={f.title}
          onChange={(e) => setF({ ...f, title: e.target.value })}
          required
          maxLength={200}
          data-testid="need-title"
        />
        <textarea
          className="p-input"
          placeholder={t('needBody')}
          value={f.body}
          onChange={(e) => setF({ ...f, body: e.target.value })}
          required
          data-testid="need-body"
        />
        {msg && <div className="p-error">{msg}</div>}
        <button className="p-btn" type="submit" data-testid="need-submit">
          {t('submit')}
        </button>
      </form>
    </div>
  );
}

export function NeedPage({ id, t }: { id: string; t: T }) {
  const [x, err, reload] = useNeed(id);
  const [body, setBody] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  // the key person's view refreshes every few seconds so the team's answer shows up
  // biome-ignore lint/correctness/useExhaustiveDependencies: restart the timer per thread only; reload is a new function every render
  useEffect(() => {
    const h = setInterval(reload, 5000);
    return () => clearInterval(h);
  }, [id]);
  const send = async () => {
    setMsg(null);
    try {
      await replyToNeed(id, body);
      setBody('');
      reload();
    } catch (e) {
      setMsg(errorMessage(e));
    }
  };
  return (
    <section className="p-card">
      <button type="button" className="p-link" onClick={() => history.back()}>
        {t('back')}
      </button>
      <Loading t={t} err={err} ready={!!x}>
        {() => (
          <div data-testid="need">
            <h2>
              {x!.title} <span className={`p-tag n-${x!.status}`}>{t(`need_${x!.status}` as Key)}</span>
            </h2>
            <p className="p-pre">{x!.body}</p>
            <ul className="p-thread" data-testid="need-thread">
              {x!.messages.map((m) => (
                <li key={m.id} className={m.authorKind === 'key_person' ? 'me' : 'them'}>
                  <b>{m.authorName}</b> <span className="p-muted">{fmtDateTime(m.createdAt)}</span>
                  <div className="p-pre">{m.body}</div>
                </li>
              ))}
            </ul>
            {x!.status !== 'closed' && (
              <>
                <textarea
                  className="p-input"
                  value={body}
                  onChange={(e) => setBody(e.target.value)}
                  placeholder={t('reply')}
                  data-testid="need-reply"
                />
                <button type="button" className="p-btn" disabled={!body.trim()} onClick={() => void send()}>
                  {t('send')}
                </button>
              </>
            )}
            {msg && <div className="p-error">{msg}</div>}
          </div>
        )}
      </Loading>
    </section>
  );
}

export function TeamBar({ t, team }: { t: T; team: TeamMember[] }) {
  return (
    <div className="p-team" data-testid="your-team">
      <span className="p-muted">{t('yourTeam')}</span>
      {team.map((m) => (
        <span className="p-face" key={m.seat} title={`${t(`seat_${m.seat}` as Key)} · ${m.name} · ${m.email}`}>
          <span className="p-avatar">{m.initials}</span>
          <span>
            {m.name}
            <small>{t(`seat_${m.seat}` as Key)}</small>
          </span>
        </span>
      ))}
    </div>
  );
}

/** 消息: what the vendor sent to this key person (campaigns on the portal channel); opening one marks it read. */
export function MessagesPage({ t }: { t: T }) {
  const [d, err, reload] = useInbox();
  const [open, setOpen] = useState<string | null>(null);
  const [msg, setMsg] = useState<string | null>(null);
  const show = async (id: string, read: boolean) => {
    setOpen(open === id ? null : id);
    if (!read) {
      await markMessageRead(id).catch(() => undefined);
      reload();
    }
  };
  const toggle = async (receiving: boolean) => {
    setMsg(null);
    try {
      await setReceiving(receiving);
      setMsg(t('msgSaved'));
      reload();
    } catch (x) {
      setMsg(errorMessage(x));
    }
  };
  return (
    <section className="p-card">
      <h2>{t('nav_messages')}</h2>
      <Loading t={t} err={err} ready={!!d}>
        {() => (
          <>
            {d!.items.length ? (
              <ul className="p-list" data-testid="portal-messages">
                {d!.items.map((m) => (
                  <li key={m.id}>
                    <button type="button" className="p-linkbtn" onClick={() => void show(m.id, m.read)} aria-expanded={open === m.id}>
                      {m.read ? m.subject : <b>{m.subject}</b>}
                    </button>
                    {!m.read && <span className="p-tag">{t('msgUnread')}</span>}
                    <div className="p-muted">{fmtDateTime(m.createdAt)}</div>
                    {open === m.id && <p style={{ whiteSpace: 'pre-wrap' }}>{m.body}</p>}
                  </li>
                ))}
              </ul>
            ) : (
              <p className="p-muted">{t('msgEmpty')}</p>
            )}
            <label className="p-muted" style={{ display: 'block', marginTop: 16 }}>
              <input type="checkbox" checked={d!.receiving} onChange={(e) => void toggle(e.target.checked)} data-testid="portal-receiving" />{' '}
              {t('msgReceiving')}
            </label>
            {!d!.receiving && <p className="p-muted">{t('msgStopped')}</p>}
            {msg && <p className="p-muted">{msg}</p>}
          </>
        )}
      </Loading>
    </section>
  );
}
