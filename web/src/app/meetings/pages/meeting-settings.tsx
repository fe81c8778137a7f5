import { Alert, App, Button, Checkbox, Col, Divider, Form, Input, InputNumber, Row, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { ApiError, errorMessage } from '../../../api/client';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { useCan } from '../../session';
import { useMeetingSettings, useSaveMeetingSettings, useTestLlm, useTestMail } from '../api';

/** Settings → integrations: the workspace's SMTP server and OpenAI-compatible endpoint (admin), with test buttons. */
export function MeetingSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const q = useMeetingSettings(can('meetings.settings'));
  const save = useSaveMeetingSettings();
  const testMail = useTestMail();
  const testLlm = useTestLlm();
  const [form] = Form.useForm();
  // optimistic concurrency: saved from the version the form showed; a refetch refills only an unedited
  // form, and a stale save (412) offers a reload that keeps the input
  const version = useSettingsVersion(form, q.data, q.refetch, ({ version: _v, ...d }) => ({ ...d, smtpPassword: '', llmApiKey: '' }));
  const crumbs = [{ title: t('menu.settings') }, { title: t('menu.integrations') }];
  if (!can('meetings.settings'))
    return (
      <>
        <PageHeader title={t('mt.settings.title')} breadcrumb={crumbs} />
        <div className="kw-content">
          <ErrorState error={new ApiError(403, 'forbidden', t('result.forbidden'))} />
        </div>
      </>
    );
  if (q.isPending)
    return (
      <>
        <PageHeader title={t('mt.settings.title')} breadcrumb={crumbs} />
        <div className="kw-content">
          <div className="kw-card">
            <LoadingState />
          </div>
        </div>
      </>
    );
  if (q.isError)
    return (
      <>
        <PageHeader title={t('mt.settings.title')} breadcrumb={crumbs} />
        <div className="kw-content">
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        </div>
      </>
    );
  const s = q.data;

  async function submit(v: Record<string, unknown>) {
    const body: Record<string, unknown> = { ...v };
    // secrets: empty means keep
    if (!body.smtpPassword) delete body.smtpPassword;
    if (!body.llmApiKey) delete body.llmApiKey;
    for (const k of ['smtpHost', 'smtpUser', 'smtpFrom', 'llmBaseUrl', 'llmModel']) if (body[k] === '' || body[k] === undefined) body[k] = null;
    if (body.smtpPort === undefined) body.smtpPort = null;
    try {
      version.saved(await save.mutateAsync({ ...body, version: version.version }));
      message.success(t('common.saved'));
    } catch (e) {
      if (version.failed(e)) return;
      if (e instanceof ApiError && e.fields.length) form.setFields(e.fields.map((f) => ({ name: f.field, errors: [e.message] })));
      message.error(errorMessage(e));
    }
  }
  async function runTest(which: 'mail' | 'llm') {
    try {
      const r = which === 'mail' ? await testMail.mutateAsync() : await testLlm.mutateAsync();
      if (r.ok) message.success(t('mt.settings.testOk'));
      else message.error(t('mt.settings.testFailed', { error: r.error ?? '' }), 8);
    } catch (e) {
      message.error(errorMessage(e));
    }
  }

  return (
    <>
      <PageHeader
        title={t('mt.settings.title')}
        breadcrumb={crumbs}
        extra={
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="settings-save">
            {t('common.save')}
          </Button>
        }
      />
      <div className="kw-content">
        <div className="kw-card">
          <StaleNotice {...version.notice} />
          <Form form={form} layout="vertical" onFinish={submit} style={{ maxWidth: 900 }}>
            <Typography.Title level={5}>{t('mt.settings.smtp')}</Typography.Title>
            <Row gutter={16}>
              <Col xs={24} md={10}>
                <Form.Item name="smtpHost" label={t('mt.settings.host')}>
                  <Input data-testid="smtp-host" />
                </Form.Item>
              </Col>
              <Col xs={12} md={4}>
                <Form.Item name="smtpPort" label={t('mt.settings.port')}>
                  <InputNumber min={1} max={65535} style={{ width: '100%' }} data-testid="smtp-port" />
                </Form.Item>
              </Col>
              <Col xs={12} md={10}>
                <Form.Item name="smtpSecure" valuePropName="checked" label=" ">
                  <Checkbox>{t('mt.settings.secure')}</Checkbox>
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="smtpUser" label={t('mt.settings.user')}>
                  <Input autoComplete="off" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="smtpPassword" label={t('mt.settings.password')} extra={s.smtpPasswordSet ? t('mt.settings.passwordSet') : undefined}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="smtpFrom" label={t('mt.settings.from')}>
                  <Input placeholder="Keyward <noreply@example.com>" data-testid="smtp-from" />
                </Form.Item>
              </Col>
            </Row>
            <Button loading={testMail.isPending} onClick={() => void runTest('mail')} data-testid="test-mail">
              {t('mt.settings.testMail')}
            </Button>
            <Divider />
            <Typography.Title level={5}>{t('mt.settings.llm')}</Typography.Title>
            <Alert type="info" showIcon message={t('mt.settings.llmHint')} style={{ marginBottom: 16 }} />
            <Row gutter={16}>
              <Col xs={24} md={10}>
                <Form.Item name="llmBaseUrl" label={t('mt.settings.baseUrl')}>
                  <Input placeholder="https://api.openai.com/v1" />
                </Form.Item>
              </Col>
              <Col xs={24} md={6}>
                <Form.Item name="llmModel" label={t('mt.settings.model')}>
                  <Input placeholder="gpt-4o-mini" />
                </Form.Item>
              </Col>
              <Col xs={24} md={8}>
                <Form.Item name="llmApiKey" label={t('mt.settings.apiKey')} extra={s.llmApiKeySet ? t('mt.settings.apiKeySet') : undefined}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
            </Row>
            <Space>
              <Button loading={testLlm.isPending} disabled={!s.llmBaseUrl} onClick={() => void runTest('llm')}>
                {t('mt.settings.testLlm')}
              </Button>
              {s.llmApiKeySet && (
                <Button onClick={() => void submit({ llmApiKey: null })}>
                  {t('mt.settings.clearSecret')} {t('mt.settings.apiKey')}
                </Button>
              )}
            </Space>
            <Divider />
            <Typography.Title level={5}>{t('mt.settings.supervision')}</Typography.Title>
            <Space wrap size="large">
              <Form.Item name="meetingReminderMinutes" label={t('mt.settings.meetingReminderMinutes')}>
                <InputNumber min={0} max={10080} />
              </Form.Item>
              <Form.Item name="dueReminderHours" label={t('mt.settings.dueReminderHours')}>
                <InputNumber min={0} max={336} />
              </Form.Item>
              <Form.Item name="escalateAfterDays" label={t('mt.settings.escalateAfterDays')}>
                <InputNumber min={0} max={60} />
              </Form.Item>
            </Space>
          </Form>
        </div>
      </div>
    </>
  );
}
