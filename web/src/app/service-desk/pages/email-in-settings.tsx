import { Alert, App, Button, Col, Descriptions, Divider, Form, Input, InputNumber, Row, Space, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { applyServerErrors } from '../../components/forms';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { PageHeader } from '../../components/page-header';
import { ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { useMailboxSettings, useSaveMailboxSettings, useTestMailbox, type MailboxBody } from '../api';
import { fmt } from '../components/labels';

type MailboxForm = {
  address: string;
  enabled: boolean;
  imapHost?: string;
  imapPort?: number | null;
  imapTls: boolean;
  imapUser?: string;
  imapPassword?: string;
  imapFolder?: string;
};

/** 设置 › 支持邮箱: the address customers write to, and IMAP access (admins). The password is never shown. */
export function EmailInSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const allowed = can('workspace.manage');
  const q = useMailboxSettings(allowed);
  const save = useSaveMailboxSettings();
  const test = useTestMailbox();
  const [form] = Form.useForm<MailboxForm>();
  const crumbs = [{ title: t('menu.settings') }, { title: t('ei.settings.title') }];

  // optimistic concurrency: saved from the version the form showed; a 412 offers a reload that keeps the input
  const version = useSettingsVersion(form, q.data, q.refetch, (d) => ({
    address: d.address ?? '',
    enabled: d.enabled,
    imapHost: d.imapHost ?? '',
    imapPort: d.imapPort,
    imapTls: d.imapTls,
    imapUser: d.imapUser ?? '',
    imapPassword: '',
    imapFolder: d.imapFolder,
  }));

  if (!allowed) return <Forbidden />;

  /** `password`: undefined keeps the stored one, null clears it, a string replaces it. */
  const send = async (password?: string | null) => {
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const body: MailboxBody = {
      address: v.address.trim(),
      enabled: !!v.enabled,
      imapHost: v.imapHost?.trim() || null,
      imapPort: v.imapPort ?? null,
      imapTls: !!v.imapTls,
      imapUser: v.imapUser?.trim() || null,
      imapFolder: v.imapFolder?.trim() || 'INBOX',
      ...(password !== undefined ? { imapPassword: password } : v.imapPassword ? { imapPassword: v.imapPassword } : {}),
      version: version.version,
    };
    try {
      version.saved(await save.mutateAsync(body));
      void message.success(t('common.saved'));
    } catch (e) {
      if (version.failed(e)) return;
      applyServerErrors(form, e);
      void message.error(errorMessage(e));
    }
  };

  const runTest = async () => {
    try {
      const r = await test.mutateAsync();
      if (r.ok) void message.success(r.message);
      else void message.error(r.message, 8);
    } catch (e) {
      void message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeader title={t('ei.settings.title')} breadcrumb={crumbs} />
      <div className="kw-content">
        <div className="kw-card" style={{ maxWidth: 720 }}>
          {q.isPending ? (
            <LoadingState />
          ) : q.isError ? (
            <ErrorState error={q.error} onRetry={() => void q.refetch()} />
          ) : (
            <>
              <Typography.Paragraph type="secondary">{t('ei.settings.intro')}</Typography.Paragraph>
              <Form form={form} layout="vertical" onFinish={() => void send()} data-testid="email-in-settings">
                <Row gutter={16}>
                  <Col xs={24} md={16}>
                    <Form.Item
                      name="address"
                      label={t('ei.settings.address')}
                      extra={t('ei.settings.addressHint')}
                      rules={[
                        { required: true, message: t('common.required') },
                        { type: 'email', message: t('ei.settings.address') },
                      ]}
                    >
                      <Input placeholder="support@example.com" data-testid="email-in-address" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={8}>
                    <Form.Item name="enabled" label={t('ei.settings.enabled')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Col>
                </Row>
                <Divider titlePlacement="start">{t('ei.settings.imap')}</Divider>
                <Typography.Paragraph type="secondary">{t('ei.settings.imapHint')}</Typography.Paragraph>
                <Row gutter={16}>
                  <Col xs={24} md={12}>
                    <Form.Item name="imapHost" label={t('ei.settings.imapHost')}>
                      <Input placeholder="imap.example.com" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="imapPort" label={t('ei.settings.imapPort')}>
                      <InputNumber min={1} max={65535} style={{ width: '100%' }} placeholder="993" />
                    </Form.Item>
                  </Col>
                  <Col xs={12} md={6}>
                    <Form.Item name="imapTls" label={t('ei.settings.imapTls')} valuePropName="checked">
                      <Switch />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="imapUser" label={t('ei.settings.imapUser')}>
                      <Input autoComplete="off" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item
                      name="imapPassword"
                      label={t('ei.settings.imapPassword')}
                      extra={q.data.imapPasswordSet ? t('ei.settings.passwordSet') : t('ei.settings.passwordUnset')}
                    >
                      <Input.Password autoComplete="new-password" />
                    </Form.Item>
                  </Col>
                  <Col xs={24} md={12}>
                    <Form.Item name="imapFolder" label={t('ei.settings.imapFolder')}>
                      <Input placeholder="INBOX" />
                    </Form.Item>
                  </Col>
                </Row>
                {q.data.configured && (
                  <Descriptions
                    size="small"
                    column={1}
                    style={{ marginBottom: 16 }}
                    items={[
                      {
                        key: 'polled',
                        label: t('ei.settings.lastPolled'),
                        children: q.data.lastPolledAt ? fmt(q.data.lastPolledAt) : t('ei.settings.never'),
                      },
                    ]}
                  />
                )}
                {q.data.lastError && (
                  <Alert type="warning" showIcon style={{ marginBottom: 16 }} message={`${t('ei.settings.lastError')}：${q.data.lastError}`} />
                )}
                <StaleNotice {...version.notice} />
                <Space wrap>
                  <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="email-in-save">
                    {t('common.save')}
                  </Button>
                  <Button onClick={() => void runTest()} loading={test.isPending} disabled={!q.data.imapHost}>
                    {t('ei.settings.test')}
                  </Button>
                  {q.data.imapPasswordSet && (
                    <Button danger onClick={() => void send(null)}>
                      {t('ei.settings.clearPassword')}
                    </Button>
                  )}
                </Space>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  );
}
