import { lazy, Suspense, useState } from 'react';
import { Avatar, Button, Dropdown, Flex, Typography } from 'antd';
import { GlobalOutlined, KeyOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useMe, useSwitchLocale } from '../session';
import { useLogout } from '../auth/api';
import { useEnum } from '../components/labels';
import { currentLocale } from '../../i18n';

// the password form loads only when asked for (keeps antd Form out of the first load)
const ChangePasswordModal = lazy(() => import('./change-password').then((m) => ({ default: m.ChangePasswordModal })));

export function LanguageSwitch() {
  const switchLocale = useSwitchLocale();
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <Button
      type="text"
      icon={<GlobalOutlined />}
      onClick={() => void switchLocale(en ? 'zh-CN' : 'en')}
      data-testid="lang-switch"
      aria-label="language"
    >
      {en ? '中文' : 'EN'}
    </Button>
  );
}

export function UserMenu() {
  const { t } = useTranslation();
  const { data: me } = useMe();
  const label = useEnum();
  const navigate = useNavigate();
  const switchLocale = useSwitchLocale();
  const [pwOpen, setPwOpen] = useState(false);
  const signOut = useLogout();
  if (!me) return null;
  const logout = () => signOut.mutate(undefined, { onError: (e) => console.error(errorMessage(e)), onSettled: () => void navigate('/login') });
  const locale = currentLocale();
  return (
    <Flex align="center" gap={8}>
      <Typography.Text type="secondary" ellipsis style={{ maxWidth: 220 }} className="kw-ws-name">
        {me.workspace.name}
      </Typography.Text>
      <LanguageSwitch />
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            {
              key: 'who',
              disabled: true,
              label: (
                <span>
                  {me.name} · {label('role', me.role)}
                </span>
              ),
            },
            { type: 'divider' },
            {
              key: 'lang',
              icon: <GlobalOutlined />,
              label: t('user.language'),
              children: [
                { key: 'zh-CN', label: `中文（简体）${locale === 'zh-CN' ? ' ✓' : ''}` },
                { key: 'en', label: `English${locale === 'en' ? ' ✓' : ''}` },
              ],
            },
            { key: 'password', icon: <KeyOutlined />, label: t('user.changePassword') },
            { key: 'logout', icon: <LogoutOutlined />, label: t('user.logout'), danger: true },
          ],
          onClick: ({ key }) => {
            if (key === 'zh-CN' || key === 'en') void switchLocale(key);
            else if (key === 'password') setPwOpen(true);
            else if (key === 'logout') logout();
          },
        }}
      >
        <Button type="text" data-testid="user-menu" style={{ height: 40 }}>
          <Flex align="center" gap={8}>
            <Avatar size="small" icon={<UserOutlined />} style={{ background: '#1677ff' }} />
            <span style={{ lineHeight: 1.2, textAlign: 'left' }}>
              <div>{me.name}</div>
              <div style={{ fontSize: 12, color: 'rgba(0,0,0,.45)' }}>{label('role', me.role)}</div>
            </span>
          </Flex>
        </Button>
      </Dropdown>
      {pwOpen && (
        <Suspense fallback={null}>
          <ChangePasswordModal open={pwOpen} onClose={() => setPwOpen(false)} />
        </Suspense>
      )}
    </Flex>
  );
}
