// 设置 › 合同与交付: how far ahead renewals are watched, and how many years of orders grading counts.
import { Alert, App, Button, Form, InputNumber, Radio } from 'antd';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { call, client } from '../../../api/client';
import type { Body } from '../../../api/types';
import { applyServerErrors } from '../../components/forms';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { ErrorState, LoadingState } from '../../components/states';
import { SettingsPage } from '../../settings/pages/settings-page';
import { useCan } from '../../session';

type Settings = Body<'/api/commerce/settings', 'put'>;

export function CommerceSettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const qc = useQueryClient();
  const [form] = Form.useForm<Settings>();
  const q = useQuery({ queryKey: ['commerce', 'settings'], queryFn: () => call(client.GET('/api/commerce/settings')) });
  const save = useMutation({
    mutationFn: (v: Settings) => call(client.PUT('/api/commerce/settings', { body: v })),
    onSuccess: async () => {
      await qc.invalidateQueries({ queryKey: ['commerce'] });
      await qc.invalidateQueries({ queryKey: ['accounts'] });
    },
  });
  // optimistic concurrency: saved from the version the form showed (a refetch refills an untouched form
  // only); a 412 offers a reload that keeps the input
  const version = useSettingsVersion(form, q.data, q.refetch, ({ renewalWindowDays, orderYears }) => ({ renewalWindowDays, orderYears }));
  const editable = can('commerce.settings');
  return (
    <SettingsPage
      title={t('cm.settings.title')}
      extra={
        editable && (
          <Button type="primary" loading={save.isPending} onClick={() => form.submit()} data-testid="commerce-settings-save">
            {t('common.save')}
          </Button>
        )
      }
    >
      {q.isPending ? (
        <LoadingState rows={4} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          disabled={!editable}
          style={{ maxWidth: 560 }}
          onFinish={async (v) => {
            try {
              version.saved(await save.mutateAsync({ ...v, version: version.version }));
              void message.success(t('common.saved'));
            } catch (e) {
              if (version.failed(e)) return;
              const msg = applyServerErrors(form, e);
              if (msg) void message.error(msg);
            }
          }}
        >
          <Form.Item name="renewalWindowDays" label={t('cm.settings.window')} extra={t('cm.settings.windowHint')} rules={[{ required: true }]}>
            <InputNumber min={7} max={365} addonAfter={t('cm.settings.days')} data-testid="commerce-window" />
          </Form.Item>
          <Form.Item name="orderYears" label={t('cm.settings.orderYears')} extra={t('cm.settings.orderYearsHint')}>
            <Radio.Group
              data-testid="commerce-years"
              options={[
                { value: 1, label: t('cm.settings.years', { n: 1 }) },
                { value: 2, label: t('cm.settings.years', { n: 2 }) },
              ]}
            />
          </Form.Item>
          <Alert type="info" showIcon title={t('cm.settings.note')} />
          <div style={{ marginTop: 16 }}>
            <StaleNotice {...version.notice} />
          </div>
        </Form>
      )}
    </SettingsPage>
  );
}
