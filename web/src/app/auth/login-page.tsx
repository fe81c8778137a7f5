import { useState } from 'react';
import { Alert, Button, Card, Flex, Form, Input, Typography } from 'antd';
import { LockOutlined, MailOutlined } from '@ant-design/icons';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { applyLocale, useMe } from '../session';
import { useLogin, type Credentials } from './api';
import { LanguageSwitch } from '../layout/user-menu';

function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/login') ? next : '/workbench';
}

export function LoginPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const me = useMe();
  const [error, setError] = useState<string | null>(null);
  const login = useLogin();
  const busy = login.isPending;
  const next = safeNext(params.get('next'));

  if (me.data?.kind === 'staff') return <Navigate to={next} replace />;

  const submit = async (v: Credentials) => {
    setError(null);
    try {
      const m = await login.mutateAsync({ email: v.email.trim(), password: v.password });
      applyLocale(m.locale);
      navigate(next, { replace: true });
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <div className="kw-login">
      <div className="kw-login-card">
        <Flex justify="flex-end" style={{ marginBottom: 8 }}>
          <LanguageSwitch />
        </Flex>
        <Card>
          <Flex vertical align="center" style={{ marginBottom: 24 }}>
            <span className="kw-logo-mark" style={{ width: 44, height: 44, fontSize: 22, color: '#fff', marginBottom: 12 }}>
              K
            </span>
            <Typography.Title level={3} style={{ margin: 0 }}>
              {t('login.title')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('login.subtitle')}</Typography.Text>
          </Flex>
          <Form layout="vertical" onFinish={(v) => void submit(v)} requiredMark={false} data-testid="login-form">
            <Form.Item name="email" label={t('login.email')} rules={[{ required: true, message: t('login.emailRequired') }]}>
              <Input prefix={<MailOutlined />} autoComplete="username" type="email" size="large" data-testid="login-email" />
            </Form.Item>
            <Form.Item name="password" label={t('login.password')} rules={[{ required: true, message: t('login.passwordRequired') }]}>
              <Input.Password prefix={<LockOutlined />} autoComplete="current-password" size="large" data-testid="login-password" />
            </Form.Item>
            {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="login-error" />}
            <Button type="primary" htmlType="submit" block size="large" loading={busy} data-testid="login-submit">
              {t('login.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 4, fontSize: 12 }}>
            {t('login.demoHint')}
          </Typography.Paragraph>
          <Typography.Link href="/portal" style={{ fontSize: 12 }}>
            {t('login.portalHint')} →
          </Typography.Link>
        </Card>
      </div>
    </div>
  );
}
