import { useCallback } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { fetchMe, ME_KEY, saveLocale, type Me } from './auth/api';
import { i18n, LOCALE_KEY, type Locale } from '../i18n';

export { ME_KEY, type Me } from './auth/api';

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
          await saveLocale(locale);
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
