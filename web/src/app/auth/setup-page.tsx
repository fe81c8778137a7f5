import { useState } from 'react';
import { Alert, Button, Col, Divider, Flex, Form, Input, Radio, Row, Select, Spin } from 'antd';
import { KeyOutlined, MailOutlined, UserOutlined } from '@ant-design/icons';
import { Navigate, useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage } from '../../api/client';
import { customerModels } from '../domain';
import { applyLocale } from '../session';
import { useEnumOptions } from '../components/labels';
import { applyServerErrors } from '../components/forms';
import { ErrorState } from '../components/states';
import { COMMON_TIME_ZONES, useTimeZoneOptions } from '../components/time-zones';
import { AuthShell, NewPasswordFields } from './auth-shell';
import { useSetup, useSetupNeeded, type SetupBody } from './api';

type SetupForm = SetupBody & { confirmPassword: string };

const CURRENCIES = ['CNY', 'HKD', 'USD', 'EUR', 'GBP', 'JPY', 'SGD'] as const;

/** Where a field problem the server names goes on this form (its own names are nested). */
const SERVER_FIELDS: Record<string, (string | number)[]> = {
  token: ['token'],
  slug: ['workspace', 'slug'],
  timezone: ['workspace', 'timezone'],
  currency: ['workspace', 'currency'],
  'workspace.name': ['workspace', 'name'],
  'workspace.slug': ['workspace', 'slug'],
  'workspace.timezone': ['workspace', 'timezone'],
  'workspace.currency': ['workspace', 'currency'],
  'workspace.locale': ['workspace', 'locale'],
  'workspace.customerModel': ['workspace', 'customerModel'],
  'admin.name': ['admin', 'name'],
  'admin.email': ['admin', 'email'],
  'admin.password': ['admin', 'password'],
  email: ['admin', 'email'],
  password: ['admin', 'password'],
};

/** First run (no workspace yet): the workspace, its first admin, and the admin signed in. Elsewhere it sends people to sign in. */
export function SetupPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const options = useEnumOptions();
  const zones = useTimeZoneOptions();
  const needed = useSetupNeeded();
  const setup = useSetup();
  const [form] = Form.useForm<SetupForm>();
  const [error, setError] = useState<string | null>(null);

  if (needed.isPending) {
    return (
      <AuthShell title={t('identity.setup.title')} subtitle={t('identity.setup.checking')}>
        <Flex justify="center">
          <Spin />
        </Flex>
      </AuthShell>
    );
  }
  if (needed.isError) {
    return (
      <AuthShell title={t('identity.setup.title')}>
        <ErrorState error={needed.error} onRetry={() => void needed.refetch()} />
      </AuthShell>
    );
  }
  if (!needed.data) return <Navigate to="/login" replace />;

  const submit = async (v: SetupForm) => {
    setError(null);
    form.setFields([{ name: 'token', errors: [] }]);
    const body: SetupBody = {
      token: v.token.trim(),
      workspace: {
        name: v.workspace.name.trim(),
        slug: v.workspace.slug?.trim() ? v.workspace.slug.trim().toLowerCase() : undefined,
        timezone: v.workspace.timezone,
        currency: v.workspace.currency,
        locale: v.workspace.locale,
        customerModel: v.workspace.customerModel,
      },
      admin: { name: v.admin.name.trim(), email: v.admin.email.trim(), password: v.admin.password },
    };
    try {
      const me = await setup.mutateAsync(body);
      applyLocale(me.locale);
      navigate('/', { replace: true });
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        // somebody finished setting up meanwhile
        void needed.refetch();
        return;
      }
      applyServerErrors(form, e, SERVER_FIELDS);
      setError(errorMessage(e));
    }
  };

  return (
    <AuthShell title={t('identity.setup.title')} subtitle={t('identity.setup.subtitle')} wide>
      <Form<SetupForm>
        form={form}
        layout="vertical"
        requiredMark={false}
        onFinish={(v) => void submit(v)}
        initialValues={{
          workspace: { timezone: COMMON_TIME_ZONES[0], currency: 'CNY', locale: i18n.language === 'en' ? 'en' : 'zh-CN', customerModel: 'to_b' },
        }}
        data-testid="setup-form"
      >
        <Form.Item
          name="token"
          label={t('identity.setup.token')}
          extra={t('identity.setup.tokenHint')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input prefix={<KeyOutlined />} autoComplete="off" spellCheck={false} maxLength={200} data-testid="setup-token" />
        </Form.Item>

        <Divider titlePlacement="start" plain>
          {t('identity.setup.workspace')}
        </Divider>
        <Form.Item
          name={['workspace', 'name']}
          label={t('identity.setup.workspaceName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input maxLength={100} data-testid="setup-workspace-name" />
        </Form.Item>
        <Form.Item
          name={['workspace', 'slug']}
          label={t('identity.optional', { label: t('identity.setup.slug') })}
          extra={t('identity.setup.slugHint')}
          rules={[{ pattern: /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/i, message: t('identity.setup.slugHint') }]}
        >
          <Input maxLength={40} spellCheck={false} placeholder="acme" data-testid="setup-workspace-slug" />
        </Form.Item>
        <Row gutter={16}>
          <Col xs={24} sm={14}>
            <Form.Item
              name={['workspace', 'timezone']}
              label={t('identity.setup.timezone')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select showSearch={{ optionFilterProp: 'label' }} options={zones} data-testid="setup-timezone" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={10}>
            <Form.Item
              name={['workspace', 'currency']}
              label={t('identity.setup.currency')}
              rules={[{ required: true, message: t('common.required') }]}
            >
              <Select options={CURRENCIES.map((c) => ({ value: c, label: `${t(`identity.currencies.${c}`)}（${c}）` }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name={['workspace', 'locale']} label={t('identity.setup.language')}>
          <Radio.Group
            options={[
              { value: 'zh-CN', label: '中文（简体）' },
              { value: 'en', label: 'English' },
            ]}
          />
        </Form.Item>
        <Form.Item name={['workspace', 'customerModel']} label={t('identity.setup.customerModel')} extra={t('settings.workspace.customerModelHint')}>
          <Radio.Group options={options('customerModel', customerModels)} />
        </Form.Item>

        <Divider titlePlacement="start" plain>
          {t('identity.setup.admin')}
        </Divider>
        <Form.Item
          name={['admin', 'name']}
          label={t('identity.setup.adminName')}
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input prefix={<UserOutlined />} maxLength={100} autoComplete="name" data-testid="setup-admin-name" />
        </Form.Item>
        <Form.Item
          name={['admin', 'email']}
          label={t('identity.setup.adminEmail')}
          rules={[{ required: true, type: 'email', message: t('login.emailRequired') }]}
        >
          <Input prefix={<MailOutlined />} maxLength={254} autoComplete="username" type="email" data-testid="setup-admin-email" />
        </Form.Item>
        <NewPasswordFields name={['admin', 'password']} label={t('identity.setup.adminPassword')} testId="setup-admin-password" />

        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="setup-error" />}
        <Button type="primary" htmlType="submit" block size="large" loading={setup.isPending} data-testid="setup-submit">
          {t('identity.setup.submit')}
        </Button>
      </Form>
    </AuthShell>
  );
}
