import { Alert, App, Button, Form, Input, Radio, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStale } from '../../../api/client';
import { customerModels } from '../../domain';
import { useCan } from '../../session';
import { useEnumOptions } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { ErrorState, LoadingState } from '../../components/states';
import { useTimeZoneOptions } from '../../components/time-zones';
import { useSaveWorkspace, useWorkspace, type WorkspacePatch } from '../api';
import { SettingsPage } from './settings-page';

export function WorkspacePage() {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const can = useCan();
  const { message } = App.useApp();
  const ws = useWorkspace();
  const [form] = Form.useForm<WorkspacePatch>();
  const editable = can('workspace.manage');
  const zones = useTimeZoneOptions();
  const save = useSaveWorkspace();
  // the server answers its vocabularies as plain strings; they are the form's choices. Optimistic
  // concurrency: saved from the version the form showed; a 412 offers a reload that keeps the input
  const version = useSettingsVersion(form, ws.data, ws.refetch, ({ name, timezone, customerModel, defaultLocale, currency }) => ({
    name,
    timezone,
    customerModel,
    defaultLocale,
    currency,
  }));

  return (
    <SettingsPage title={t('settings.workspace.title')}>
      {ws.isPending ? (
        <LoadingState />
      ) : ws.isError ? (
        <ErrorState error={ws.error} onRetry={() => void ws.refetch()} />
      ) : (
        <Form
          form={form}
          layout="vertical"
          style={{ maxWidth: 560 }}
          disabled={!editable}
          onFinish={(v) =>
            save.mutate(
              {
                name: v.name?.trim(),
                timezone: v.timezone,
                customerModel: v.customerModel,
                defaultLocale: v.defaultLocale,
                version: version.version,
              },
              {
                onSuccess: (w) => {
                  version.saved(w);
                  void message.success(t('common.saved'));
                },
                onError: (e) => {
                  if (!version.failed(e)) applyServerErrors(form, e);
                },
              },
            )
          }
        >
          {!editable && <Alert type="info" showIcon title={t('settings.workspace.readOnly')} style={{ marginBottom: 16 }} />}
          <Form.Item name="name" label={t('settings.workspace.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item label={t('settings.workspace.slug')} extra={t('settings.workspace.slugHint')}>
            <Typography.Text copyable code data-testid="workspace-slug">
              {ws.data.slug}
            </Typography.Text>
          </Form.Item>
          <Form.Item name="timezone" label={t('settings.workspace.timezone')} rules={[{ required: true }]}>
            <Select showSearch={{ optionFilterProp: 'label' }} options={zones} />
          </Form.Item>
          <Form.Item name="customerModel" label={t('settings.workspace.customerModel')} extra={t('settings.workspace.customerModelHint')}>
            <Radio.Group options={options('customerModel', customerModels)} />
          </Form.Item>
          <Form.Item name="defaultLocale" label={t('settings.workspace.defaultLocale')}>
            <Select
              options={[
                { value: 'zh-CN', label: '中文（简体）' },
                { value: 'en', label: 'English' },
              ]}
            />
          </Form.Item>
          <Form.Item name="currency" label={t('settings.workspace.currency')}>
            <Input disabled />
          </Form.Item>
          <StaleNotice {...version.notice} />
          {save.isError && !isStale(save.error) && <Alert type="error" showIcon title={errorMessage(save.error)} style={{ marginBottom: 16 }} />}
          {editable && (
            <Button type="primary" htmlType="submit" loading={save.isPending} data-testid="workspace-save">
              {t('common.save')}
            </Button>
          )}
        </Form>
      )}
    </SettingsPage>
  );
}
