import { useState } from 'react';
import { Alert, Button, Divider, Flex, Form, Input, Modal, Typography } from 'antd';
import { ApartmentOutlined, LockOutlined, MailOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import { applyLocale, useMe } from '../session';
import { fetchSsoOffer, ssoStartUrl, useLogin, useSetupNeeded, type Credentials } from './api';
import { AuthShell } from './auth-shell';

const SSO_WORKSPACE_KEY = 'kw.ssoWorkspace';
const SSO_ERRORS = ['failed', 'unknown_user', 'not_verified', 'not_offered', 'expired'] as const;

function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/workbench';
}

/** Asks for the workspace code, checks that it offers single sign-on, then leaves for the identity provider. */
function SsoModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const go = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const slug = v.code.trim().toLowerCase();
    setError(null);
    setBusy(true);
    try {
      const offer = await fetchSsoOffer(slug);
      if (!offer.enabled) {
        setError(t('identity.login.ssoNotOffered'));
        setBusy(false);
        return;
      }
      localStorage.setItem(SSO_WORKSPACE_KEY, slug);
      // a full page navigation: the server redirects on to the identity provider
      window.location.assign(ssoStartUrl(slug));
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };
  return (
    <Modal
      open={open}
      title={t('identity.login.ssoTitle')}
      onCancel={onClose}
      onOk={() => void go()}
      okText={t('identity.login.ssoContinue')}
      cancelText={t('common.cancel')}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'sso-continue' }}
    >
      <Form
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={{ code: localStorage.getItem(SSO_WORKSPACE_KEY) ?? '' }}
        onFinish={() => void go()}
      >
        <Form.Item
          name="code"
          label={t('identity.login.ssoCode')}
          extra={t('identity.login.ssoCodeHint')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input prefix={<ApartmentOutlined />} maxLength={40} spellCheck={false} autoFocus data-testid="sso-code" />
        </Form.Item>
        {error && <Alert type="warning" showIcon title={error} data-testid="sso-error" />}
      </Form>
    </Modal>
  );
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const setup = useSetupNeeded();
  const [form] = Form.useForm<Credentials>();
  const email = Form.useWatch('email', form);
  // `which`: the answer asks which workspace (a hint), rather than refusing (an error)
  const [error, setError] = useState<{ text: string; which: boolean } | null>(null);
  // the address and password match people in several workspaces: ask which one
  const [askWorkspace, setAskWorkspace] = useState(false);
  const [ssoOpen, setSsoOpen] = useState(false);
  const login = useLogin();
  const busy = login.isPending;
  const next = safeNext(params.get('next'));
  const sso = params.get('sso');
  const ssoError = sso
    ? t(`identity.login.ssoErrors.${(SSO_ERRORS as readonly string[]).includes(sso) ? (sso as (typeof SSO_ERRORS)[number]) : 'unknown'}`)
    : null;

  if (setup.data === true) return <Navigate to="/setup" replace />;
  if (me.data?.kind === 'staff') return <Navigate to={next} replace />;

  const submit = async (v: Credentials) => {
    setError(null);
    try {
      const workspace = askWorkspace && v.workspace?.trim() ? v.workspace.trim().toLowerCase() : undefined;
      const m = await login.mutateAsync({ email: v.email.trim(), password: v.password, ...(workspace ? { workspace } : {}) });
      applyLocale(m.locale);
      navigate(next, { replace: true });
    } catch (e) {
      const which = e instanceof ApiError && e.status === 400 && e.fields.some((f) => f.field === 'workspace');
      if (which) setAskWorkspace(true);
      setError({ text: errorMessage(e), which });
    }
  };

  return (
    <AuthShell title={t('login.title')} subtitle={t('login.subtitle')}>
      {ssoError && !error && <Alert type="warning" showIcon title={ssoError} style={{ marginBottom: 16 }} data-testid="sso-failed" />}
      <Form form={form} layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="login-form">
        <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.emailRequired') }]}>
          <Input prefix={<MailOutlined />} autoComplete="username" type="email" size="large" data-testid="login-email" />
        </Form.Item>
        <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
        </Form.Item>
        {askWorkspace && (
          <Form.Item
            name="workspace"
            label={t('identity.login.workspace')}
            extra={t('identity.login.workspaceHint')}
            rules={[{ required: true, whitespace: true, message: t('common.required') }]}
          >
            <Input prefix={<ApartmentOutlined />} maxLength={40} spellCheck={false} size="large" autoFocus data-testid="login-workspace" />
          </Form.Item>
        )}
        {error && <Alert type={error.which ? 'info' : 'error'} showIcon title={error.text} style={{ marginBottom: 16 }} data-testid="login-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
          {t('login.submit')}
        </Button>
        <Flex justify="space-between" style={{ marginTop: 12 }}>
          <Link to={`/forgot-password${email?.trim() ? `?email=${encodeURIComponent(email.trim())}` : ''}`} data-testid="forgot-link">
            {t('identity.forgot.link')}
          </Link>
          <Typography.Link onClick={() => setSsoOpen(true)} data-testid="sso-link">
            <SafetyCertificateOutlined /> {t('identity.login.sso')}
          </Typography.Link>
        </Flex>
      </Form>
      <Divider style={{ margin: '16px 0 8px' }} />
      <Typography.Paragraph type="secondary" style={{ marginBottom: 4, fontSize: 12 }}>
        {t('login.demoHint')}
      </Typography.Paragraph>
      <Typography.Link href="/portal" style={{ fontSize: 12 }}>
        {t('login.portalHint')} →
      </Typography.Link>
      <SsoModal open={ssoOpen} onClose={() => setSsoOpen(false)} />
    </AuthShell>
  );
}
