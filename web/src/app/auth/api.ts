import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, call, client, fileUrl, setCsrfToken } from '../../api/client';
import type { Body, Res } from '../../api/types';
import { setWorkspaceZone } from '../format';

/** Who is signed in (staff or a customer's key person), with the CSRF token for writes. */
export type Me = Res<'/api/auth/me'>;
export type Credentials = Body<'/api/auth/login', 'post'>;
export type PasswordChange = Body<'/api/auth/password', 'post'>;
export type SetupBody = Body<'/api/setup', 'post'>;
export type SsoOffer = Res<'/api/auth/sso/{workspace}'>;

export const ME_KEY = ['me'] as const;

/** Who is signed in; `null` when nobody is (a 401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await call(client.GET('/api/auth/me'), { quiet401: true });
    setCsrfToken(me.csrfToken);
    setWorkspaceZone(me.workspace.timezone);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

/** Remembers the signed-in user's language on the server. */
export function saveLocale(locale: Me['locale']) {
  return call(client.PATCH('/api/auth/me', { body: { locale } }));
}

/** Any way of signing in (password, first-run setup, invitation, reset): the session starts over (no data of a previous user stays in the cache). */
function useSignIn<V>(fn: (v: V) => Promise<Me>) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      setWorkspaceZone(me.workspace.timezone);
      qc.clear();
      qc.setQueryData(ME_KEY, me);
    },
  });
}

/** Staff sign-in; a 400 on `workspace` asks for the workspace code (the address is in several). */
export const useLogin = () => useSignIn((v: Credentials) => call(client.POST('/api/auth/login', { body: v }), { quiet401: true }));

/** Whether this installation still needs its first workspace (the login page sends people to /setup then). */
export function useSetupNeeded() {
  return useQuery({ queryKey: ['setup'], queryFn: () => call(client.GET('/api/setup')), select: (d) => d.needed, retry: false, staleTime: 60_000 });
}

/** First run: the workspace, its admin, and the admin signed in. */
export const useSetup = () => useSignIn((v: SetupBody) => call(client.POST('/api/setup', { body: v })));

/** Accept an invitation or reset a forgotten password from the mailed link; signs the person in. */
export const useRedeemLink = (purpose: 'invite' | 'reset') =>
  useSignIn((v: { token: string; password: string }) =>
    call(client.POST(purpose === 'invite' ? '/api/auth/accept-invite' : '/api/auth/reset', { body: v })),
  );

/** "Forgot password": the answer is the same whether or not the address belongs to someone. */
export function useForgotPassword() {
  return useMutation({ mutationFn: (email: string) => call(client.POST('/api/auth/forgot', { body: { email } })) });
}

/** Whether a workspace (by its code) offers single sign-on, and its button's label. */
export function fetchSsoOffer(workspace: string): Promise<SsoOffer> {
  return call(client.GET('/api/auth/sso/{workspace}', { params: { path: { workspace } } }));
}

/** Where the browser goes (a full page navigation) to start single sign-on. */
export const ssoStartUrl = (workspace: string) => fileUrl('/api/auth/sso/{workspace}/start', { path: { workspace } });

/** Sign out; whatever the server says, this browser forgets the session. */
export function useLogout() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => call(client.POST('/api/auth/logout')),
    onSettled: () => {
      setCsrfToken(null);
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    },
  });
}

/** Change my password; the server ends all my sessions. */
export function useChangePassword() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: PasswordChange) => call(client.POST('/api/auth/password', { body: v })),
    onSuccess: () => {
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
    },
  });
}
