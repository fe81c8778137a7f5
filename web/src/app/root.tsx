import { lazy, Suspense, useEffect, useMemo, type ReactNode } from 'react';
import { App as AntApp, ConfigProvider, Spin } from 'antd';
import zhCNLocale from 'antd/locale/zh_CN';
import enUSLocale from 'antd/locale/en_US';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { noteConsoleWrite } from './kpi/api';
import { BrowserRouter, Navigate, Route, Routes, useLocation, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, setUnauthorizedHandler } from '../api/client';
import { applyLocale, ME_KEY, useCan, useMe } from './session';
import { ConsoleLayout, settingsPages } from './layout/console-layout';
import { ErrorState, NotFound } from './components/states';
import { initialLocale } from '../i18n';

const LoginPage = lazy(() => import('./auth/login-page').then((m) => ({ default: m.LoginPage })));
const SetupPage = lazy(() => import('./auth/setup-page').then((m) => ({ default: m.SetupPage })));
const RedeemLinkPage = lazy(() => import('./auth/link-pages').then((m) => ({ default: m.RedeemLinkPage })));
const ForgotPasswordPage = lazy(() => import('./auth/link-pages').then((m) => ({ default: m.ForgotPasswordPage })));
const NotificationsPage = lazy(() => import('./notifications/pages/notifications'));
const SsoSettingsPage = lazy(() => import('./settings/pages/sso').then((m) => ({ default: m.SsoSettingsPage })));
const RobotsSettingsPage = lazy(() => import('./channels/pages/robots-settings').then((m) => ({ default: m.RobotsSettingsPage })));
const AccountListPage = lazy(() => import('./accounts/pages/account-list').then((m) => ({ default: m.AccountListPage })));
const Account360Page = lazy(() => import('./accounts/pages/account-360').then((m) => ({ default: m.Account360Page })));
const WorkspacePage = lazy(() => import('./settings/pages/workspace').then((m) => ({ default: m.WorkspacePage })));
const UsersPage = lazy(() => import('./settings/pages/users').then((m) => ({ default: m.UsersPage })));
const TeamsPage = lazy(() => import('./settings/pages/teams').then((m) => ({ default: m.TeamsPage })));
const PartnersPage = lazy(() => import('./settings/pages/partners').then((m) => ({ default: m.PartnersPage })));
const GradingPage = lazy(() => import('./settings/pages/grading').then((m) => ({ default: m.GradingPage })));
const SegmentsPage = lazy(() => import('./settings/pages/segments').then((m) => ({ default: m.SegmentsPage })));
const AuditPage = lazy(() => import('./settings/pages/audit').then((m) => ({ default: m.AuditPage })));
const ErpImportPage = lazy(() => import('./erp-import/pages/erp-import').then((m) => ({ default: m.ErpImportPage })));
const ServiceDeskPage = lazy(() => import('./service-desk/pages/queues').then((m) => ({ default: m.ServiceDeskPage })));
const TicketPage = lazy(() => import('./service-desk/pages/ticket').then((m) => ({ default: m.TicketPage })));
const SlaSettingsPage = lazy(() => import('./service-desk/pages/sla-settings').then((m) => ({ default: m.SlaSettingsPage })));
const DispatchRulesPage = lazy(() => import('./service-desk/pages/dispatch-rules').then((m) => ({ default: m.DispatchRulesPage })));
const TriagePage = lazy(() => import('./service-desk/pages/triage').then((m) => ({ default: m.TriagePage })));
const EmailInSettingsPage = lazy(() => import('./service-desk/pages/email-in-settings').then((m) => ({ default: m.EmailInSettingsPage })));
const ValueAddHomePage = lazy(() => import('./value-add/pages/value-add-home').then((m) => ({ default: m.ValueAddHomePage })));
const PipelineBoardPage = lazy(() => import('./opportunities/pages/pipeline-board').then((m) => ({ default: m.PipelineBoardPage })));
const MeetingsHomePage = lazy(() => import('./meetings/pages/meetings-home').then((m) => ({ default: m.MeetingsHomePage })));
const MeetingPage = lazy(() => import('./meetings/pages/meeting').then((m) => ({ default: m.MeetingPage })));
const MeetingSettingsPage = lazy(() => import('./meetings/pages/meeting-settings').then((m) => ({ default: m.MeetingSettingsPage })));
const PortalAdminPage = lazy(() => import('./portal-admin/pages/portal-admin').then((m) => ({ default: m.PortalAdminPage })));
const IndicatorLibraryPage = lazy(() => import('./value/pages/indicator-library').then((m) => ({ default: m.IndicatorLibraryPage })));
const KpiPage = lazy(() => import('./kpi/pages/kpi-page').then((m) => ({ default: m.KpiPage })));
const HealthModelSettingsPage = lazy(() => import('./kpi/pages/health-model-settings').then((m) => ({ default: m.HealthModelSettingsPage })));
const KpiWeightsSettingsPage = lazy(() => import('./kpi/pages/kpi-weights-settings').then((m) => ({ default: m.KpiWeightsSettingsPage })));
const DashboardsPage = lazy(() => import('./kpi/pages/dashboards-page').then((m) => ({ default: m.DashboardsPage })));
const RenewalsPage = lazy(() => import('./commerce/pages/renewals-page').then((m) => ({ default: m.RenewalsPage })));
const CommerceSettingsPage = lazy(() => import('./commerce/pages/commerce-settings').then((m) => ({ default: m.CommerceSettingsPage })));
const CampaignsPage = lazy(() => import('./outreach/pages/campaigns-page').then((m) => ({ default: m.CampaignsPage })));
const OutreachSettingsPage = lazy(() => import('./outreach/pages/outreach-settings-page').then((m) => ({ default: m.OutreachSettingsPage })));
const PeoplePage = lazy(() => import('./outreach/pages/people-page').then((m) => ({ default: m.PeoplePage })));
const PortraitPage = lazy(() => import('./outreach/pages/portrait-page').then((m) => ({ default: m.PortraitPage })));
const TagRulesPage = lazy(() => import('./outreach/pages/tag-rules-page').then((m) => ({ default: m.TagRulesPage })));
const OutreachMeasuresPage = lazy(() => import('./outreach/pages/measures-page').then((m) => ({ default: m.MeasuresPage })));
const TimePage = lazy(() => import('./commerce/pages/time-page').then((m) => ({ default: m.TimePage })));
const SearchPage = lazy(() => import('./find/search-page').then((m) => ({ default: m.SearchPage })));
const WorkbenchPage = lazy(() => import('./workbench/pages/workbench').then((m) => ({ default: m.WorkbenchPage })));

const queryClient = new QueryClient({
  // the dashboards are a shared snapshot: after a change of one's own, the next one is taken anew
  mutationCache: new MutationCache({ onSuccess: () => noteConsoleWrite() }),
  defaultOptions: {
    queries: {
      refetchOnWindowFocus: false,
      retry: (count, e) => !(e instanceof ApiError && e.status > 0 && e.status < 500) && count < 2,
    },
  },
});

applyLocale(initialLocale());

function Providers({ children }: { children: ReactNode }) {
  const { i18n } = useTranslation();
  const locale = i18n.language === 'en' ? enUSLocale : zhCNLocale;
  return (
    <ConfigProvider locale={locale} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6 } }}>
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Pages for people who are not signed in: a 401 there is no reason to leave them. */
const PUBLIC_PAGES = ['/login', '/setup', '/accept-invite', '/reset-password', '/forgot-password'];

/** 401 anywhere → forget the session and go to /login, coming back here afterwards. */
function UnauthorizedRedirect() {
  const navigate = useNavigate();
  const location = useLocation();
  useEffect(() => {
    setUnauthorizedHandler(() => {
      queryClient.setQueryData(ME_KEY, null);
      if (!PUBLIC_PAGES.some((p) => location.pathname.startsWith(p))) {
        navigate(`/login?next=${encodeURIComponent(location.pathname + location.search)}`, { replace: true });
      }
    });
    return () => setUnauthorizedHandler(null);
  }, [navigate, location]);
  return null;
}

function RequireStaff({ children }: { children: ReactNode }) {
  const me = useMe();
  const location = useLocation();
  useEffect(() => {
    if (me.data?.locale) applyLocale(me.data.locale);
  }, [me.data?.locale]);
  if (me.isPending) return <FullPageSpin />;
  if (me.isError) return <ErrorState error={me.error} onRetry={() => void me.refetch()} />;
  if (!me.data) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  if (me.data.kind !== 'staff') {
    window.location.replace('/portal');
    return <FullPageSpin />;
  }
  return <>{children}</>;
}

function FullPageSpin() {
  return (
    <div style={{ minHeight: '60vh', display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
      <Spin size="large" />
    </div>
  );
}

export function Root() {
  const routes = useMemo(
    () => (
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/setup" element={<SetupPage />} />
        <Route path="/accept-invite" element={<RedeemLinkPage key="invite" purpose="invite" />} />
        <Route path="/reset-password" element={<RedeemLinkPage key="reset" purpose="reset" />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route
          element={
            <RequireStaff>
              <ConsoleLayout />
            </RequireStaff>
          }
        >
          <Route index element={<Navigate to="/workbench" replace />} />
          <Route path="workbench" element={<WorkbenchPage />} />
          <Route path="notifications" element={<NotificationsPage />} />
          <Route path="search" element={<SearchPage />} />
          <Route path="accounts" element={<AccountListPage />} />
          <Route path="accounts/:id" element={<Account360Page />} />
          <Route path="service-desk" element={<ServiceDeskPage />} />
          <Route path="service-desk/tickets/:id" element={<TicketPage />} />
          <Route path="service-desk/triage" element={<TriagePage />} />
          <Route path="value-add" element={<ValueAddHomePage />} />
          <Route path="opportunities" element={<PipelineBoardPage />} />
          <Route path="meetings" element={<MeetingsHomePage />} />
          <Route path="meetings/:id" element={<MeetingPage />} />
          <Route path="portal-admin" element={<PortalAdminPage />} />
          <Route path="renewals" element={<RenewalsPage />} />
          <Route path="time" element={<TimePage />} />
          <Route path="outreach" element={<CampaignsPage />} />
          <Route path="outreach/settings" element={<OutreachSettingsPage />} />
          <Route path="outreach/people" element={<PeoplePage />} />
          <Route path="outreach/people/:contactId" element={<PortraitPage />} />
          <Route path="outreach/tag-rules" element={<TagRulesPage />} />
          <Route path="outreach/measures" element={<OutreachMeasuresPage />} />
          <Route path="kpi" element={<KpiPage />} />
          <Route path="dashboards" element={<DashboardsPage />} />
          <Route path="settings" element={<SettingsIndex />} />
          <Route path="settings/workspace" element={<WorkspacePage />} />
          <Route path="settings/users" element={<UsersPage />} />
          <Route path="settings/teams" element={<TeamsPage />} />
          <Route path="settings/partners" element={<PartnersPage />} />
          <Route path="settings/grading" element={<GradingPage />} />
          <Route path="settings/segments" element={<SegmentsPage />} />
          <Route path="settings/audit" element={<AuditPage />} />
          <Route path="settings/erp-import" element={<ErpImportPage />} />
          <Route path="settings/sla" element={<SlaSettingsPage />} />
          <Route path="settings/dispatch" element={<DispatchRulesPage />} />
          <Route path="settings/catalog" element={<ValueAddHomePage only="catalog" />} />
          <Route path="settings/health" element={<HealthModelSettingsPage />} />
          <Route path="settings/kpi-weights" element={<KpiWeightsSettingsPage />} />
          <Route path="settings/indicators" element={<IndicatorLibraryPage />} />
          <Route path="settings/integrations" element={<MeetingSettingsPage />} />
          <Route path="settings/sso" element={<SsoSettingsPage />} />
          <Route path="settings/email-in" element={<EmailInSettingsPage />} />
          <Route path="settings/channels" element={<RobotsSettingsPage />} />
          <Route path="settings/commerce" element={<CommerceSettingsPage />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    ),
    [],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <Providers>
        <BrowserRouter>
          <UnauthorizedRedirect />
          <Suspense fallback={<FullPageSpin />}>{routes}</Suspense>
        </BrowserRouter>
      </Providers>
    </QueryClientProvider>
  );
}

/** /settings opens the first settings page this role can use (the workbench when there is none). */
function SettingsIndex() {
  const can = useCan();
  return <Navigate to={settingsPages(can)[0]?.[0] ?? '/workbench'} replace />;
}
