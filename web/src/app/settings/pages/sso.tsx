import { Alert, App, Button, Descriptions, Flex, Form, Input, Popconfirm, Select, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStale } from '../../../api/client';
import { useCan } from '../../session';
import { useEnumOptions } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useSaveSsoSettings, useSsoSettings, useWorkspace, type SsoSettingsBody } from '../api';
import { SettingsPage } from './settings-page';

/** The roles a person created on first single sign-on may get (never admin or channel implementer). */
const JIT_ROLES = ['manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert'] as const;

type SsoForm = Omit<SsoSettingsBody, 'clientSecret'> & { clientSecret?: string };

/** 设置 › 单点登录: OpenID Connect per workspace (admins), with the callback URL to register at the provider. */
export function SsoSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const options = useEnumOptions();
  const { message } = App.useApp();
  const allowed = can('workspace.manage');
  const sso = useSsoSettings(allowed);
  const ws = useWorkspace();
  const save = useSaveSsoSettings();
  const [form] = Form.useForm<SsoForm>();
  const jit = Form.useWatch('jitCreate', form);

  // optimistic concurrency: saved from the version the form showed; a 412 offers a reload that keeps the input
  const version = useSettingsVersion(form, sso.data, sso.refetch, (d) => ({
    issuer: d.issuer ?? '',
    clientId: d.clientId ?? '',
    clientSecret: '',
    label: d.label ?? '',
    enabled: d.enabled,
    jitCreate: d.jitCreate,
    jitRole: (JIT_ROLES as readonly string[]).includes(d.jitRole) ? (d.jitRole as SsoForm['jitRole']) : 'sales',
  }));

  if (!allowed) return <Forbidden />;

  /** `secret`: undefined keeps the stored one, null removes it, a string replaces it. */
  const send = async (secret?: string | null) => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return; // the form shows what is missing
    const body: SsoSettingsBody = {
      issuer: v.issuer.trim(),
      clientId: v.clientId.trim(),
      enabled: !!v.enabled,
      label: v.label?.trim() ? v.label.trim() : null,
      jitCreate: !!v.jitCreate,
      jitRole: v.jitRole ?? 'sales',
      ...(secret !== undefined ? { clientSecret: secret } : {}),
      version: version.version,
    };
    save.mutate(body, {
      onSuccess: (r) => {
        version.saved(r);
        void message.success(secret === null ? t('identity.sso.secretRemoved') : t('common.saved'));
      },
      onError: (e) => {
        if (!version.failed(e)) applyServerErrors(form, e);
      },
    });
  };

  return (
    <SettingsPage title={t('identity.sso.title')}>
      {sso.isPending ? (
        <LoadingState />
      ) : sso.isError ? (
        <ErrorState error={sso.error} onRetry={() => void sso.refetch()} />
      ) : (
        <div style={{ maxWidth: 640 }}>
          <Typography.Paragraph type="secondary">{t('identity.sso.intro')}</Typography.Paragraph>
          <Descriptions
            size="small"
            column={1}
            bordered
            style={{ marginBottom: 24 }}
            items={[
              {
                key: 'callback',
                label: t('identity.sso.callbackUrl'),
                children: (
                  <>
                    <Typography.Text copyable code data-testid="sso-callback-url">
                      {sso.data.callbackUrl}
                    </Typography.Text>
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('identity.sso.callbackHint')}
                      </Typography.Text>
                    </div>
                  </>
                ),
              },
              {
                key: 'code',
                label: t('identity.sso.workspaceCode'),
                children: (
                  <>
                    {ws.data ? (
                      <Typography.Text copyable code>
                        {ws.data.slug}
                      </Typography.Text>
                    ) : (
                      '—'
                    )}
                    <div>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {t('identity.sso.workspaceCodeHint')}
                      </Typography.Text>
                    </div>
                  </>
                ),
              },
            ]}
          />
          <Form<SsoForm>
            form={form}
            layout="vertical"
            onFinish={(v) => void send(v.clientSecret ? v.clientSecret : undefined)}
            initialValues={{ enabled: false, jitCreate: false, jitRole: 'sales' }}
          >
            <Form.Item name="enabled" label={t('identity.sso.enabled')} extra={t('identity.sso.enabledHint')} valuePropName="checked">
              <Switch data-testid="sso-enabled" />
            </Form.Item>
            <Form.Item
              name="issuer"
              label={t('identity.sso.issuer')}
              extra={t('identity.sso.issuerHint')}
              rules={[
                { required: true, whitespace: true, message: t('common.required') },
                { type: 'url', message: t('identity.sso.issuerHint') },
              ]}
            >
              <Input maxLength={500} placeholder="https://login.example.com/realms/acme" spellCheck={false} data-testid="sso-issuer" />
            </Form.Item>
            <Form.Item
              name="clientId"
              label={t('identity.sso.clientId')}
              rules={[{ required: true, whitespace: true, message: t('common.required') }]}
            >
              <Input maxLength={200} spellCheck={false} autoComplete="off" data-testid="sso-client-id" />
            </Form.Item>
            <Form.Item
              name="clientSecret"
              label={t('identity.sso.clientSecret')}
              extra={
                sso.data.secretSet && (
                  <Popconfirm
                    title={t('identity.sso.removeSecretConfirm')}
                    onConfirm={() => void send(null)}
                    okText={t('common.confirm')}
                    cancelText={t('common.cancel')}
                  >
                    <Typography.Link type="danger" style={{ fontSize: 12 }}>
                      {t('identity.sso.removeSecret')}
                    </Typography.Link>
                  </Popconfirm>
                )
              }
            >
              <Input.Password
                maxLength={500}
                autoComplete="new-password"
                placeholder={sso.data.secretSet ? t('identity.sso.secretSet') : t('identity.sso.secretNone')}
                data-testid="sso-secret"
              />
            </Form.Item>
            <Form.Item name="label" label={t('identity.sso.label')} extra={t('identity.sso.labelHint')}>
              <Input maxLength={40} />
            </Form.Item>
            <Form.Item name="jitCreate" label={t('identity.sso.jit')} valuePropName="checked" extra={jit ? undefined : t('identity.sso.jitWarning')}>
              <Switch />
            </Form.Item>
            {jit && (
              <>
                <Alert type="warning" showIcon title={t('identity.sso.jitWarning')} style={{ marginBottom: 16 }} />
                <Form.Item name="jitRole" label={t('identity.sso.jitRole')}>
                  <Select options={options('role', JIT_ROLES)} style={{ maxWidth: 280 }} />
                </Form.Item>
              </>
            )}
            <StaleNotice {...version.notice} />
            {save.isError && !isStale(save.error) && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} />}
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="sso-save">
                {t('common.save')}
              </Button>
            </Flex>
          </Form>
        </div>
      )}
    </SettingsPage>
  );
}
