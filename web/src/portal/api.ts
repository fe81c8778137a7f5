/**
 * The customer portal's data: one hook per screen's read and one function per write, all through the
 * shared typed client (web/src/api). The portal is its own small bundle, so its hooks are a few lines of
 * React state instead of a query library: each loads once per key and can be told to load again.
 */
import { useEffect, useState } from 'react';
import { call, client, errorMessage, fileUrl, setCsrfToken, upload } from '../api/client';
import type { Body, Item, Res } from '../api/types';

export type Me = Res<'/api/auth/me'>;
export type Team = Res<'/api/portal/team'>;
export type TeamMember = Item<Team['team']>;
export type PostSummary = Item<Res<'/api/portal/posts'>['items']>;
export type Page = Body<'/api/portal/views', 'post'>['page'];
export type NewTicket = Body<'/api/portal/tickets', 'post'>;
export type NewNeed = Body<'/api/portal/demands', 'post'>;

const id = (v: string) => ({ params: { path: { id: v } } });

/** `[data, error message, load again]`; loads when the key changes. */
export type Loaded<X> = [X | undefined, string | null, () => void];

function useLoad<X>(load: () => Promise<X>, key: readonly unknown[]): Loaded<X> {
  const [data, setData] = useState<X | undefined>(undefined);
  const [err, setErr] = useState<string | null>(null);
  const [n, setN] = useState(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller's key says when to load again; load is a new function every render
  useEffect(() => {
    let live = true;
    load().then(
      (d) => live && setData(d),
      (e) => live && setErr(errorMessage(e)),
    );
    return () => {
      live = false;
    };
  }, [...key, n]); // eslint-disable-line react-hooks/exhaustive-deps
  return [data, err, () => setN((x) => x + 1)];
}

// ------------------------------------------------------------------ reads

export const usePosts = (kind?: 'solution') => useLoad(() => call(client.GET('/api/portal/posts', { params: { query: { kind } } })), [kind]);
export const usePost = (postId: string) => useLoad(() => call(client.GET('/api/portal/posts/{id}', id(postId))), [postId]);
export const useCatalog = () => useLoad(() => call(client.GET('/api/portal/catalog')), []);
export const useMilestones = () => useLoad(() => call(client.GET('/api/portal/milestones')), []);
export const useValueReport = () => useLoad(() => call(client.GET('/api/portal/value/report')), []);
export const useMeetings = () => useLoad(() => call(client.GET('/api/portal/meetings')), []);
export const useTickets = () => useLoad(() => call(client.GET('/api/portal/tickets')), []);
export const useTicket = (ticketId: string) => useLoad(() => call(client.GET('/api/portal/tickets/{id}', id(ticketId))), [ticketId]);
export const useNeeds = () => useLoad(() => call(client.GET('/api/portal/demands')), []);
export const useInbox = () => useLoad(() => call(client.GET('/api/portal/messages')), []);
export const useNeed = (needId: string) => useLoad(() => call(client.GET('/api/portal/demands/{id}', id(needId))), [needId]);

/** The account's iron triangle ("your team"); nothing shows when it cannot be read. */
export function useTeam(): Team | null {
  const [team, setTeam] = useState<Team | null>(null);
  useEffect(() => {
    call(client.GET('/api/portal/team')).then(setTeam, () => undefined);
  }, []);
  return team;
}

// ------------------------------------------------------------------ writes

export const recordView = (page: Page) => call(client.POST('/api/portal/views', { body: { page } }));
export const requestCatalogItem = (itemId: string, note: string | null) =>
  call(client.POST('/api/portal/catalog/{id}/request', { ...id(itemId), body: { note } }));
export const createTicket = (body: NewTicket) => call(client.POST('/api/portal/tickets', { body }));
export const replyToTicket = (ticketId: string, body: string) =>
  call(client.POST('/api/portal/tickets/{id}/messages', { ...id(ticketId), body: { body } }));
export const attachToTicket = (ticketId: string, file: File) => upload('/api/portal/tickets/{id}/attachments', { path: { id: ticketId } }, file);
export const rateTicket = (ticketId: string, score: number, comment: string | null) =>
  call(client.POST('/api/portal/tickets/{id}/csat', { ...id(ticketId), body: { score, comment } }));
export const attachmentUrl = (ticketId: string, attachmentId: string) =>
  fileUrl('/api/portal/tickets/{id}/attachments/{attachmentId}', { path: { id: ticketId, attachmentId } });
export const valueReportPdfUrl = () => fileUrl('/api/portal/value/report.pdf');
export const markMessageRead = (messageId: string) => call(client.POST('/api/portal/messages/{id}/read', id(messageId)));
export const setReceiving = (receiving: boolean) => call(client.PUT('/api/portal/messages/receiving', { body: { receiving } }));
export const createNeed = (body: NewNeed) => call(client.POST('/api/portal/demands', { body }));
export const replyToNeed = (needId: string, body: string) =>
  call(client.POST('/api/portal/demands/{id}/messages', { ...id(needId), body: { body } }));

// ------------------------------------------------------------------ session

/** Who is signed in (GET /api/auth/me answers key persons too, with the CSRF token and the account). */
export async function fetchMe(): Promise<Me> {
  const me = await call(client.GET('/api/auth/me'), { quiet401: true });
  setCsrfToken(me.csrfToken);
  return me;
}

export async function signIn(email: string, password: string): Promise<Me> {
  await call(client.POST('/api/portal/auth/login', { body: { email, password } }), { quiet401: true });
  return fetchMe();
}

export async function signOut() {
  await call(client.POST('/api/auth/logout')).catch(() => undefined);
  setCsrfToken(null);
}

export const saveLocale = (locale: Me['locale']) => call(client.PATCH('/api/auth/me', { body: { locale } }));
export const requestReset = (email: string) => call(client.POST('/api/portal/auth/reset-request', { body: { email } }), { quiet401: true });
export const savePassword = (purpose: 'accept' | 'reset', token: string, password: string) =>
  call(client.POST(purpose === 'accept' ? '/api/portal/auth/accept-invite' : '/api/portal/auth/reset', { body: { token, password } }), {
    quiet401: true,
  });
