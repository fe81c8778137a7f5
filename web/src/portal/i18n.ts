/** The portal's own tiny dictionary (no i18next here: the portal bundle stays small). */
export type Locale = 'zh-CN' | 'en';

const zh = {
  title: '客户运营平台',
  subtitle: '您的专属服务社区',
  email: '邮箱',
  password: '密码',
  signIn: '登录',
  signingIn: '正在登录…',
  signOut: '退出',
  welcome: '您好，{name}',
  yourAccount: '您的企业',
  comingSoon: '即将上线',
  sections: '首页动态 · 方案介绍 · 服务菜单 · 交付进展 · 运营成效 · 问题处理 · 需求互动',
  sectionsHint: '以上栏目正在建设中，上线后您可以在这里查看交付进展、运营成效和问题处理状态，并与服务团队直接沟通需求。',
  staffSignedIn: '您当前以员工身份登录。',
  goConsole: '进入员工控制台',
  required: '请输入邮箱和密码',
  loading: '加载中…',
  loadFailed: '加载失败，请刷新重试。',
  hint: '客户关键人使用服务团队为您开通的账号登录。',
};
const en: typeof zh = {
  title: 'Customer community',
  subtitle: 'Your own service community',
  email: 'Email',
  password: 'Password',
  signIn: 'Sign in',
  signingIn: 'Signing in…',
  signOut: 'Sign out',
  welcome: 'Hello, {name}',
  yourAccount: 'Your company',
  comingSoon: 'Coming soon',
  sections: 'News · Solutions · Service menu · Delivery status · Operations & value · Issues · Needs',
  sectionsHint: 'These sections are being built. Soon you will follow delivery, operations results and issues here, and discuss your needs with your service team.',
  staffSignedIn: 'You are signed in as staff.',
  goConsole: 'Open the staff console',
  required: 'Enter your email and password',
  loading: 'Loading…',
  loadFailed: 'Could not load; reload to try again.',
  hint: 'Key persons sign in with the login their service team gave them.',
};

export type Key = keyof typeof zh;
export const dict: Record<Locale, typeof zh> = { 'zh-CN': zh, en };

export function translate(locale: Locale, key: Key, vars: Record<string, string> = {}): string {
  return dict[locale][key].replace(/\{(\w+)\}/g, (_, k: string) => vars[k] ?? '');
}

export function savedLocale(): Locale {
  const v = localStorage.getItem('kw.locale');
  return v === 'en' ? 'en' : 'zh-CN';
}
