import { Suspense, useMemo, useState } from 'react';
import { Flex, Layout, Menu, Grid, Skeleton, type MenuProps } from 'antd';
import {
  AppstoreOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  GiftOutlined,
  RiseOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
  VideoCameraOutlined,
  GlobalOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCan } from '../session';
import { UserMenu } from './user-menu';
import { NotificationBell } from '../notifications/bell';
import { CommandPalette } from '../find/command-palette';

type Item = Required<MenuProps>['items'][number];

/** The left menu by domain, exactly as UX.md lists it; items shaped by the user's permissions. */
function useMenuItems(): Item[] {
  const { t } = useTranslation();
  const can = useCan();
  return useMemo(() => {
    const settings: Item[] = [
      { key: '/settings/workspace', label: t('menu.workspace') },
      can('users.read') ? { key: '/settings/users', label: t('menu.users') } : null,
      can('users.read') ? { key: '/settings/teams', label: t('menu.teams') } : null,
      { key: '/settings/partners', label: t('menu.partners') },
      { key: '/settings/grading', label: t('menu.grading') },
      { key: '/settings/segments', label: t('menu.segments') },
      ...(can('grading.manage')
        ? [
            { key: '/settings/sla', label: t('menu.sla') },
            { key: '/settings/dispatch', label: t('menu.dispatch') },
            { key: '/settings/catalog', label: t('menu.catalog') },
            { key: '/settings/indicators', label: t('menu.indicators') },
            { key: '/settings/integrations', label: t('menu.integrations') },
          ]
        : []),
      can('accounts.read') ? { key: '/settings/health', label: t('menu.health') } : null,
      can('kpi.read') ? { key: '/settings/kpi-weights', label: t('menu.kpiWeights') } : null,
      can('channels.manage') ? { key: '/settings/channels', label: t('menu.channels') } : null,
      can('workspace.manage') ? { key: '/settings/sso', label: t('menu.sso') } : null,
      can('workspace.manage') ? { key: '/settings/email-in', label: t('menu.supportMailbox') } : null,
      can('audit.read') ? { key: '/settings/audit', label: t('menu.audit') } : null,
    ].filter(Boolean) as Item[];
    return [
      { key: '/workbench', icon: <AppstoreOutlined />, label: t('menu.workbench') },
      can('accounts.read') ? { key: '/accounts', icon: <TeamOutlined />, label: t('menu.accounts') } : null,
      { key: '/service-desk', icon: <CustomerServiceOutlined />, label: t('menu.serviceDesk') },
      { key: '/value-add', icon: <GiftOutlined />, label: t('menu.valueAdd') },
      { key: '/opportunities', icon: <RiseOutlined />, label: t('menu.opportunities') },
      { key: '/meetings', icon: <VideoCameraOutlined />, label: t('menu.meetings') },
      can('portal.read') ? { key: '/portal-admin', icon: <GlobalOutlined />, label: t('menu.portal') } : null,
      can('kpi.read') ? { key: '/kpi', icon: <TrophyOutlined />, label: t('menu.kpi') } : null,
      can('dashboards.read') ? { key: '/dashboards', icon: <DashboardOutlined />, label: t('menu.dashboards') } : null,
      { key: 'settings', icon: <SettingOutlined />, label: t('menu.settings'), children: settings },
    ].filter(Boolean) as Item[];
  }, [t, can]);
}

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/settings/')) return pathname.split('/').slice(0, 3).join('/');
  return `/${pathname.split('/')[1] ?? ''}`;
}

export function ConsoleLayout() {
  const items = useMenuItems();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const [collapsed, setCollapsed] = useState<boolean | null>(null);
  const isCollapsed = collapsed ?? !screens.lg;
  const key = selectedKey(pathname);
  const [openKeys, setOpenKeys] = useState<string[]>(pathname.startsWith('/settings') ? ['settings'] : []);

  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider
        collapsible
        collapsed={isCollapsed}
        onCollapse={(c) => setCollapsed(c)}
        width={220}
        collapsedWidth={64}
        style={{ position: 'sticky', top: 0, height: '100vh', overflow: 'auto' }}
      >
        <div className="kw-logo">
          <span className="kw-logo-mark">K</span>
          {!isCollapsed && <span>Keyward</span>}
        </div>
        <Menu
          theme="dark"
          mode="inline"
          selectedKeys={[key]}
          openKeys={isCollapsed ? undefined : openKeys}
          onOpenChange={(k) => setOpenKeys(k)}
          items={items}
          onClick={(e) => navigate(e.key)}
          data-testid="main-menu"
        />
      </Layout.Sider>
      <Layout>
        <header className="kw-header">
          <CommandPalette />
          <Flex align="center" gap={8}>
            <NotificationBell />
            <UserMenu />
          </Flex>
        </header>
        <Layout.Content>
          <Suspense
            fallback={
              <div className="kw-content">
                <Skeleton active paragraph={{ rows: 8 }} />
              </div>
            }
          >
            <Outlet />
          </Suspense>
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
