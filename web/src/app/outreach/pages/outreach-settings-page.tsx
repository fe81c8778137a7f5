// 精准触达 › 触达规则: the workspace's frequency cap, quiet hours and whether people must opt in (leads edit).
import { App, Button, Card, Form, InputNumber, Space, Switch, TimePicker, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { applyServerErrors } from '../../components/forms';
import { PageHeader } from '../../components/page-header';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useCan, useMe } from '../../session';
import { useOutreachSettings, useSaveOutreachSettings, type OutreachSettings } from '../api';

type FormValues = { capCount: number; capDays: number; quiet: boolean; quietStart: Dayjs | null; quietEnd: Dayjs | null; requireOptIn: boolean };
const hhmm = (v: string | null) => (v ? dayjs(v, 'HH:mm') : null);

export function OutreachSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const me = useMe();
  const { message } = App.useApp();
  const q = useOutreachSettings();
  const save = useSaveOutreachSettings();
  const [form] = Form.useForm<FormValues>();
  const toForm = (d: OutreachSettings) => ({
    capCount: d.capCount,
    capDays: d.capDays,
    quiet: !!d.quietStart,
    quietStart: hhmm(d.quietStart),
    quietEnd: hhmm(d.quietEnd),
    requireOptIn: d.requireOptIn,
  });
  const version = useSettingsVersion(form, q.data, q.refetch, toForm);
  const editable = can('outreach.manage');
  const crumbs = [{ title: t('or.menu'), href: '/outreach' }, { title: t('or.settings.title') }];
  if (!can('outreach.read')) return <Forbidden />;

  const submit = async () => {
    const v = await form.validateFields().catch(() => null);
    if (!v || version.version === undefined) return;
    try {
      const saved = await save.mutateAsync({
        capCount: v.capCount,
        capDays: v.capDays,
        quietStart: v.quiet && v.quietStart ? v.quietStart.format('HH:mm') : null,
        quietEnd: v.quiet && v.quietEnd ? v.quietEnd.format('HH:mm') : null,
        requireOptIn: v.requireOptIn,
        version: version.version,
      });
      version.saved(saved);
      message.success(t('common.saved'));
    } catch (e) {
      if (version.failed(e)) return;
      applyServerErrors(form, e);
      message.error(errorMessage(e));
    }
  };

  return (
    <>
      <PageHeader title={t('or.settings.title')} breadcrumb={crumbs} sub={t('or.settings.sub')} />
      <div className="kw-content">
        {q.isPending ? (
          <LoadingState rows={6} />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <Card style={{ maxWidth: 720 }}>
            <StaleNotice {...version.notice} />
            <Form form={form} layout="vertical" disabled={!editable} data-testid="outreach-settings">
              <Typography.Text strong>{t('or.settings.cap')}</Typography.Text>
              <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
                {t('or.settings.capHint')}
              </Typography.Paragraph>
              <Space align="baseline" wrap>
                <Form.Item name="capDays" label={t('or.edit.capDays')} rules={[{ required: true, message: t('common.required') }]}>
                  <InputNumber min={1} max={365} data-testid="cap-days" />
                </Form.Item>
                <Form.Item name="capCount" label={t('or.edit.capCount')} rules={[{ required: true, message: t('common.required') }]}>
                  <InputNumber min={1} max={100} data-testid="cap-count" />
                </Form.Item>
              </Space>
              <Form.Item
                name="quiet"
                label={t('or.settings.quiet')}
                valuePropName="checked"
                extra={t('or.settings.quietHint', { zone: me.data?.workspace.timezone ?? '' })}
              >
                <Switch />
              </Form.Item>
              <Form.Item noStyle shouldUpdate={(a, b) => a.quiet !== b.quiet}>
                {() =>
                  form.getFieldValue('quiet') ? (
                    <Space align="baseline" wrap>
                      <Form.Item name="quietStart" label={t('or.settings.quietStart')} rules={[{ required: true, message: t('common.required') }]}>
                        <TimePicker format="HH:mm" minuteStep={15} />
                      </Form.Item>
                      <Form.Item name="quietEnd" label={t('or.settings.quietEnd')} rules={[{ required: true, message: t('common.required') }]}>
                        <TimePicker format="HH:mm" minuteStep={15} />
                      </Form.Item>
                    </Space>
                  ) : null
                }
              </Form.Item>
              <Form.Item name="requireOptIn" label={t('or.settings.optIn')} valuePropName="checked" extra={t('or.settings.optInHint')}>
                <Switch />
              </Form.Item>
              {editable && (
                <Button type="primary" loading={save.isPending} onClick={() => void submit()} data-testid="outreach-settings-save">
                  {t('common.save')}
                </Button>
              )}
            </Form>
          </Card>
        )}
      </div>
    </>
  );
}
