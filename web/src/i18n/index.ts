import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import { zhCN, type Resources } from './zh-CN';
import { en } from './en';

export type Locale = 'zh-CN' | 'en';
export const LOCALE_KEY = 'kw.locale';

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: Resources };
  }
}

export function initialLocale(): Locale {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LOCALE_KEY) : null;
  if (saved === 'en' || saved === 'zh-CN') return saved;
  return 'zh-CN';
}

void i18n.use(initReactI18next).init({
  resources: { 'zh-CN': { translation: zhCN }, en: { translation: en as Resources } },
  lng: initialLocale(),
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function currentLocale(): Locale {
  return i18n.language === 'en' ? 'en' : 'zh-CN';
}

export { i18n };
