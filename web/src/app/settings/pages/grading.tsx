import { useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Row, Space, Typography } from 'antd';
import { SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStale } from '../../../api/client';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { factors } from '../../domain';
import { useCan } from '../../session';
import { useEnum } from '../../components/labels';
import { applyServerErrors } from '../../components/forms';
import { ErrorState, LoadingState } from '../../components/states';
import { useGradingModel, useRecomputeGrading, useSaveGrading, type GradingModel, type Regrade, type Weights } from '../api';
import { SettingsPage } from './settings-page';

function sum(w?: Partial<Weights>): number {
  return factors.reduce((s, f) => s + (Number(w?.[f]) || 0), 0);
}

function WeightsCard({ axis, title, disabled }: { axis: 'valueWeights' | 'potentialWeights'; title: string; disabled: boolean }) {
  const { t } = useTranslation();
  const label = useEnum();
  const form = Form.useFormInstance<GradingModel>();
  const w = Form.useWatch(axis, form);
  const total = sum(w);
  const ok = total === 100;
  return (
    <Card
      size="small"
      title={title}
      extra={
        <Typography.Text type={ok ? 'success' : 'danger'} strong data-testid={`${axis}-sum`}>
          {t('settings.grading.sum', { sum: total })}
        </Typography.Text>
      }
    >
      {factors.map((f) => (
        <Form.Item
          key={f}
          name={[axis, f]}
          label={label('factor', f)}
          rules={[{ required: true, message: t('common.required') }]}
          style={{ marginBottom: 12 }}
        >
          <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 140 }} disabled={disabled} />
        </Form.Item>
      ))}
      {!ok && <Alert type="error" showIcon title={t('settings.grading.sumMust', { sum: total })} />}
    </Card>
  );
}

export function GradingPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const model = useGradingModel();
  const [form] = Form.useForm<GradingModel>();
  const [result, setResult] = useState<Regrade | null>(null);
  const editable = can('grading.manage');
  const save = useSaveGrading();
  // optimistic concurrency: saved from the version the form showed; a refetch refills only an unedited
  // form, and a stale save (412) offers a reload that keeps what was typed
  const version = useSettingsVersion(form, model.data, model.refetch, ({ version: _v, ...m }) => m);
  const afterRegrade = (r: Regrade) => {
    setResult(r);
    message.success(t('settings.grading.recomputeDone', r));
  };
  const recompute = useRecomputeGrading();
  const vw = Form.useWatch('valueWeights', form);
  const pw = Form.useWatch('potentialWeights', form);
  const valid = sum(vw) === 100 && sum(pw) === 100;

  return (
    <SettingsPage
      title={t('settings.grading.title')}
      card={false}
      extra={
        editable && (
          <Button
            icon={<SyncOutlined spin={recompute.isPending} />}
            loading={recompute.isPending}
            onClick={() => recompute.mutate(undefined, { onSuccess: afterRegrade })}
            data-testid="grading-recompute"
          >
            {t('settings.grading.recompute')}
          </Button>
        )
      }
    >
      {model.isPending ? (
        <div className="kw-card">
          <LoadingState />
        </div>
      ) : model.isError ? (
        <div className="kw-card">
          <ErrorState error={model.error} onRetry={() => void model.refetch()} />
        </div>
      ) : (
        <Form
          form={form}
          layout="horizontal"
          labelCol={{ flex: '160px' }}
          labelAlign="left"
          onFinish={(v) =>
            save.mutate(
              { ...v, version: version.version },
              {
                onSuccess: (r) => {
                  // saved: the form shows what was saved, and later refetches fill it again
                  version.saved({ ...r.model, version: r.version });
                  afterRegrade(r);
                },
                onError: (e) => {
                  if (!version.failed(e)) applyServerErrors(form, e);
                },
              },
            )
          }
          disabled={!editable}
        >
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('settings.grading.intro')} description={t('settings.grading.rules')} />
            {!editable && <Alert type="warning" showIcon title={t('settings.grading.readOnly')} />}
            {result && (
              <Alert
                type="success"
                showIcon
                closable={{ onClose: () => setResult(null) }}
                title={t('settings.grading.recomputeDone', result)}
                data-testid="grading-result"
              />
            )}
            {recompute.isError && <Alert type="error" showIcon title={errorMessage(recompute.error)} />}
            <Row gutter={[16, 16]}>
              <Col xs={24} lg={12}>
                <WeightsCard axis="valueWeights" title={t('settings.grading.valueWeights')} disabled={!editable} />
              </Col>
              <Col xs={24} lg={12}>
                <WeightsCard axis="potentialWeights" title={t('settings.grading.potentialWeights')} disabled={!editable} />
              </Col>
            </Row>
            <Card size="small" title={t('settings.grading.thresholds')}>
              {(['valueHigh', 'valueLow', 'potentialHigh'] as const).map((k) => (
                <Form.Item
                  key={k}
                  name={['thresholds', k]}
                  label={t(`settings.grading.${k}`)}
                  rules={[{ required: true, message: t('common.required') }]}
                  style={{ marginBottom: 12 }}
                >
                  <InputNumber min={0} max={100} precision={0} style={{ width: 140 }} />
                </Form.Item>
              ))}
            </Card>
            <StaleNotice {...version.notice} />
            {save.isError && !isStale(save.error) && <Alert type="error" showIcon title={errorMessage(save.error)} />}
            {editable && (
              <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!valid} data-testid="grading-save">
                {t('common.save')}
              </Button>
            )}
          </Space>
        </Form>
      )}
    </SettingsPage>
  );
}
