import { useMutation, useQueryClient } from '@tanstack/react-query';
import { ApiError, call, client, setCsrfToken } from '../../api/client';
import type { Body, Res } from '../../api/types';

/** Who is signed in (staff or a customer's key person), with the CSRF token for writes. */
export type Me = Res<'/api/auth/me'>;
export type Credentials = Body<'/api/auth/login', 'post'>;
export type PasswordChange = Body<'/api/auth/password', 'post'>;

export const ME_KEY = ['me'] as const;

/** Who is signed in; `null` when nobody is (a 401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await call(client.GET('/api/auth/me'), { quiet401: true });
    setCsrfToken(me.csrfToken);
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

/** Staff sign-in: the session starts over (no data of a previous user stays in the cache). */
export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: Credentials) => call(client.POST('/api/auth/login', { body: v }), { quiet401: true }),
    onSuccess: (me) => {
      setCsrfToken(me.csrfToken);
      qc.clear();
      qc.setQueryData(ME_KEY, me);
    },
  });
}

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
