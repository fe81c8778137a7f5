import { Suspense, useMemo, useState } from 'react';
import { Flex, Layout, Menu, Grid, Skeleton, type MenuProps } from 'antd';
import {
  AppstoreOutlined,
  CustomerServiceOutlined,
  DashboardOutlined,
  FileDoneOutlined,
  GiftOutlined,
  RiseOutlined,
  SettingOutlined,
  TeamOutlined,
  TrophyOutlined,
  VideoCameraOutlined,
  GlobalOutlined,
  SendOutlined,
} from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { useCan } from '../session';
import { UserMenu } from './user-menu';
import { NotificationBell } from '../notifications/bell';
import { CommandPalette } from '../find/command-palette';

type Item = Required<MenuProps>['items'][number];

/**
 * The settings pages, each shown only to the roles that can change it (the permission its writes need):
 * a role never gets a menu item that answers 403 or shows a form it cannot save. The server checks again.
 */
export function settingsPages(can: (permission: string) => boolean): [path: string, label: MenuLabel][] {
  const pages: [string, MenuLabel, string][] = [
    ['/settings/workspace', 'menu.workspace', 'workspace.manage'],
    ['/settings/users', 'menu.users', 'users.manage'],
    ['/settings/teams', 'menu.teams', 'teams.manage'],
    ['/settings/partners', 'menu.partners', 'partners.manage'],
    ['/settings/grading', 'menu.grading', 'grading.manage'],
    ['/settings/segments', 'menu.segments', 'segments.manage'],
    ['/settings/sla', 'menu.sla', 'sla.manage'],
    ['/settings/dispatch', 'menu.dispatch', 'sla.manage'],
    ['/settings/catalog', 'menu.catalog', 'catalog.manage'],
    ['/settings/indicators', 'menu.indicators', 'value.library'],
    ['/settings/integrations', 'menu.integrations', 'meetings.settings'],
    ['/settings/health', 'menu.health', 'health.manage'],
    ['/settings/kpi-weights', 'menu.kpiWeights', 'kpi.manage'],
    ['/settings/channels', 'menu.channels', 'channels.manage'],
    ['/settings/commerce', 'menu.commerce', 'commerce.settings'],
    ['/settings/sso', 'menu.sso', 'workspace.manage'],
    ['/settings/email-in', 'menu.supportMailbox', 'workspace.manage'],
    ['/settings/erp-import', 'menu.erpImport', 'commerce.import'],
    ['/settings/audit', 'menu.audit', 'audit.read'],
  ];
  return pages.filter(([, , permission]) => can(permission)).map(([path, label]) => [path, label]);
}
type MenuLabel =
  | 'menu.workspace'
  | 'menu.users'
  | 'menu.teams'
  | 'menu.partners'
  | 'menu.grading'
  | 'menu.segments'
  | 'menu.sla'
  | 'menu.dispatch'
  | 'menu.catalog'
  | 'menu.indicators'
  | 'menu.integrations'
  | 'menu.health'
  | 'menu.kpiWeights'
  | 'menu.channels'
  | 'menu.commerce'
  | 'menu.sso'
  | 'menu.supportMailbox'
  | 'menu.erpImport'
  | 'menu.audit';

/** The left menu by domain, exactly as UX.md lists it; items shaped by the user's permissions. */
function useMenuItems(): Item[] {
  const { t } = useTranslation();
  const can = useCan();
  return useMemo(() => {
    const settings: Item[] = settingsPages(can).map(([key, label]) => ({ key, label: t(label) }));
    return [
      { key: '/workbench', icon: <AppstoreOutlined />, label: t('menu.workbench') },
      can('accounts.read') ? { key: '/accounts', icon: <TeamOutlined />, label: t('menu.accounts') } : null,
      { key: '/service-desk', icon: <CustomerServiceOutlined />, label: t('menu.serviceDesk') },
      { key: '/value-add', icon: <GiftOutlined />, label: t('menu.valueAdd') },
      { key: '/opportunities', icon: <RiseOutlined />, label: t('menu.opportunities') },
      { key: '/meetings', icon: <VideoCameraOutlined />, label: t('menu.meetings') },
      can('contracts.read') || can('time.book')
        ? {
            key: 'commerce',
            icon: <FileDoneOutlined />,
            label: t('cm.menu.group'),
            children: [
              can('contracts.read') ? { key: '/renewals', label: t('cm.menu.renewals') } : null,
              can('time.book') ? { key: '/time', label: t('cm.menu.time') } : null,
            ].filter(Boolean) as Item[],
          }
        : null,
      can('outreach.read')
        ? {
            key: 'outreach',
            icon: <SendOutlined />,
            label: t('or.menu'),
            children: [
              { key: '/outreach', label: t('op.menu.campaigns') },
              { key: '/outreach/people', label: t('op.menu.people') },
              { key: '/outreach/tag-rules', label: t('op.menu.rules') },
              { key: '/outreach/measures', label: t('om.menu') },
              { key: '/outreach/settings', label: t('or.settings.title') },
            ],
          }
        : null,
      can('portal.read') ? { key: '/portal-admin', icon: <GlobalOutlined />, label: t('menu.portal') } : null,
      can('kpi.read') ? { key: '/kpi', icon: <TrophyOutlined />, label: t('menu.kpi') } : null,
      can('dashboards.read') ? { key: '/dashboards', icon: <DashboardOutlined />, label: t('menu.dashboards') } : null,
      settings.length ? { key: 'settings', icon: <SettingOutlined />, label: t('menu.settings'), children: settings } : null,
    ].filter(Boolean) as Item[];
  }, [t, can]);
}

function selectedKey(pathname: string): string {
  if (pathname.startsWith('/settings/')) return pathname.split('/').slice(0, 3).join('/');
  if (pathname.startsWith('/outreach/')) {
    const sub = pathname.split('/')[2];
    return ['people', 'tag-rules', 'measures', 'settings'].includes(sub) ? `/outreach/${sub}` : '/outreach';
  }
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
  const [openKeys, setOpenKeys] = useState<string[]>(
    pathname.startsWith('/settings')
      ? ['settings']
      : pathname === '/renewals' || pathname === '/time'
        ? ['commerce']
        : pathname.startsWith('/outreach')
          ? ['outreach']
          : [],
  );

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
