import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { api, ApiError, setCsrfToken } from './api';
import { i18n, LOCALE_KEY, type Locale } from '../i18n';

export type Me = {
  kind: 'staff' | 'key_person';
  id: string;
  name: string;
  role: string | null;
  locale: Locale;
  permissions: string[];
  workspace: { id: string; name: string; customerModel: string; currency: string };
  account: { id: string; name: string } | null;
  csrfToken: string;
};

export const ME_KEY = ['me'] as const;

/** Who is signed in; `null` when nobody is (a 401 is an answer here, not an error). */
export async function fetchMe(): Promise<Me | null> {
  try {
    const me = await api.get<Me>('/api/auth/me', undefined, { quiet401: true });
    setCsrfToken(me.csrfToken);
    return me;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return null;
    throw e;
  }
}

export function useMe() {
  return useQuery({ queryKey: ME_KEY, queryFn: fetchMe, staleTime: 5 * 60_000, retry: false });
}

/** The signed-in staff member's permissions; the server checks again on every call. */
export function useCan() {
  const { data } = useMe();
  return useCallback((permission: string) => !!data?.permissions.includes(permission), [data]);
}

export function applyLocale(locale: Locale) {
  localStorage.setItem(LOCALE_KEY, locale);
  document.documentElement.lang = locale;
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  if (i18n.language !== locale) void i18n.changeLanguage(locale);
}

/** Switches the language, remembers it for this user on the server and reloads server-worded data. */
export function useSwitchLocale() {
  const qc = useQueryClient();
  return useCallback(
    async (locale: Locale) => {
      applyLocale(locale);
      const me = qc.getQueryData<Me | null>(ME_KEY);
      if (me) {
        try {
          await api.patch('/api/auth/me', { locale });
          const updated: Me = { ...me, locale };
          qc.setQueryData(ME_KEY, updated);
        } catch {
          /* the local switch still applies */
        }
        // server-side texts (tier reasons, gaps, errors) come back in the new language
        await qc.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'me' });
      }
    },
    [qc],
  );
}
