import { useEffect, useMemo, useRef, useState } from 'react';
import { Alert, App, Button, Card, Col, Form, InputNumber, Menu, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, isStale } from '../../../api/client';
import { editedSince, fillUnchanged, StaleNotice } from '../../components/stale-notice';
import { useHealthModels, useSaveHealthModel, type HealthModels } from '../api';
import { stages, tiers } from '../../domain';
import { useCan } from '../../session';
import { useEnum } from '../../components/labels';
import { ErrorState, LoadingState } from '../../components/states';
import { SettingsPage } from '../../settings/pages/settings-page';

/** The five groups of account health, in the server's order (server/modules/kpi/health.domain.ts). */
const groups = ['relationship', 'tickets', 'engagement', 'value', 'payment'] as const;
type Model = HealthModels['default'];

const valuesOf = (m: Model): Model => ({ weights: { ...m.weights }, amberBelow: m.amberBelow, redBelow: m.redBelow });
const sum = (w?: Record<string, number | null | undefined>) => groups.reduce((s, g) => s + (Number(w?.[g]) || 0), 0);

/** Server field names ("weights.tickets", "redBelow", "weights") → form paths. */
function fieldErrors(form: ReturnType<typeof Form.useForm<Model>>[0], e: unknown) {
  if (!(e instanceof ApiError)) return;
  const fields = e.fields.filter((f) => f.field && f.field !== 'weights' && f.field !== 'scope');
  if (fields.length) form.setFields(fields.map((f) => ({ name: f.field.split('.') as never, errors: [e.message] })));
}

export function HealthModelSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const label = useEnum();
  const { message } = App.useApp();
  const editable = can('health.manage');
  const data = useHealthModels();
  const [scope, setScope] = useState('workspace');
  const [form] = Form.useForm<Model>();
  const byScope = useMemo(() => new Map((data.data?.models ?? []).map((m) => [m.scope, m])), [data.data]);
  const workspaceModel = byScope.get('workspace');
  const current = byScope.get(scope);
  const start: Model | undefined = current ?? (scope === 'workspace' ? data.data?.default : (workspaceModel ?? data.data?.default));

  // optimistic concurrency: each scope's model is saved from the version shown when it was opened (0: the
  // scope has none of its own yet); a background refetch leaves an edit alone, and a 412 offers a reload
  // that keeps what was typed
  const [version, setVersion] = useState<number>();
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const shownScope = useRef<string | null>(null);
  // what the form was last filled with: a field that still shows it is not the user's edit
  const shown = useRef<Model | null>(null);
  useEffect(() => {
    if (!start) return;
    const opened = shownScope.current !== scope;
    shownScope.current = scope;
    if (!opened && editedSince(form, shown.current)) return;
    shown.current = valuesOf(start);
    form.resetFields();
    form.setFieldsValue(shown.current);
    setVersion(current?.version ?? 0);
    if (opened) {
      setStale(null);
      setReloaded(false);
    }
  }, [start, current, scope, form]);
  const reload = async () => {
    const fresh = (await data.refetch()).data;
    const m = fresh?.models.find((x) => x.scope === scope);
    const inherited = m ?? (scope === 'workspace' ? fresh?.default : (fresh?.models.find((x) => x.scope === 'workspace') ?? fresh?.default));
    if (inherited) {
      fillUnchanged(form, shown.current, valuesOf(inherited));
      shown.current = valuesOf(inherited);
    }
    setVersion(m?.version ?? 0);
    setStale(null);
    setReloaded(true);
  };

  const save = useSaveHealthModel();
  const submit = (v: Model) =>
    save.mutate(
      { scope, weights: v.weights, amberBelow: v.amberBelow, redBelow: v.redBelow, version },
      {
        onSuccess: (r) => {
          shown.current = valuesOf(r);
          form.resetFields();
          form.setFieldsValue(shown.current);
          setVersion(r.version);
          setStale(null);
          setReloaded(false);
          void message.success(t('kp.settings.saved'));
        },
        onError: (e) => {
          if (isStale(e)) {
            setReloaded(false);
            setStale(e.message);
          } else fieldErrors(form, e);
        },
      },
    );

  const w = Form.useWatch('weights', form);
  const amber = Form.useWatch('amberBelow', form);
  const red = Form.useWatch('redBelow', form);
  const total = sum(w);
  const ok = total === 100;
  const scopeLabel = (s: string) =>
    s === 'workspace'
      ? t('kp.settings.scopeWorkspace')
      : s.startsWith('tier:')
        ? t('kp.settings.scopeTier', { tier: s.slice(5) })
        : t('kp.settings.scopeStage', { stage: label('stage', s.slice(6)) });
  const item = (s: string, text: string) => ({
    key: s,
    label: (
      <span data-testid={`health-scope-${s}`}>
        {text}{' '}
        {byScope.has(s) && (
          <Tag color="blue" style={{ marginInlineStart: 4 }}>
            {t('kp.settings.custom')}
          </Tag>
        )}
      </span>
    ),
  });

  return (
    <SettingsPage title={t('menu.health')} card={false}>
      {data.isPending ? (
        <div className="kw-card">
          <LoadingState />
        </div>
      ) : data.isError ? (
        <div className="kw-card">
          <ErrorState error={data.error} onRetry={() => void data.refetch()} />
        </div>
      ) : (
        <Space orientation="vertical" size={16} style={{ width: '100%' }}>
          <Alert type="info" showIcon title={t('kp.settings.healthIntro')} description={t('kp.settings.healthRules')} />
          {!editable && <Alert type="warning" showIcon title={t('kp.settings.readOnly')} />}
          <Row gutter={[16, 16]}>
            <Col xs={24} lg={7}>
              <Card size="small" title={t('kp.settings.scope')} styles={{ body: { padding: 0 } }}>
                <Menu
                  mode="inline"
                  selectedKeys={[scope]}
                  onClick={(e) => setScope(e.key)}
                  style={{ borderInlineEnd: 0 }}
                  items={[
                    item('workspace', t('kp.settings.scopeWorkspace')),
                    { type: 'group', label: t('kp.settings.tiers'), children: tiers.map((x) => item(`tier:${x}`, label('tier', x))) },
                    { type: 'group', label: t('kp.settings.stages'), children: stages.map((x) => item(`stage:${x}`, label('stage', x))) },
                  ]}
                />
              </Card>
            </Col>
            <Col xs={24} lg={17}>
              <Form form={form} layout="horizontal" labelCol={{ flex: '200px' }} labelAlign="left" onFinish={submit} disabled={!editable}>
                <Space orientation="vertical" size={16} style={{ width: '100%' }}>
                  <Typography.Title level={5} style={{ margin: 0 }} data-testid="health-scope-title">
                    {scopeLabel(scope)}
                    {!current && (
                      <Typography.Text type="secondary" style={{ fontSize: 13, fontWeight: 'normal', marginInlineStart: 12 }}>
                        {t('kp.settings.inherited', {
                          from: scope === 'workspace' || !workspaceModel ? t('kp.settings.fromDefault') : t('kp.settings.fromWorkspace'),
                        })}
                      </Typography.Text>
                    )}
                  </Typography.Title>
                  <Card
                    size="small"
                    title={t('kp.settings.weights')}
                    extra={
                      <Typography.Text type={ok ? 'success' : 'danger'} strong data-testid="health-weights-sum">
                        {t('kp.settings.sum', { sum: total })}
                      </Typography.Text>
                    }
                  >
                    {groups.map((g) => (
                      <Form.Item
                        key={g}
                        name={['weights', g]}
                        label={t(`kp.group.${g}`)}
                        rules={[{ required: true, message: t('common.required') }]}
                        style={{ marginBottom: 12 }}
                      >
                        <InputNumber min={0} max={100} precision={0} suffix="%" style={{ width: 140 }} data-testid={`health-weight-${g}`} />
                      </Form.Item>
                    ))}
                    {!ok && <Alert type="error" showIcon title={t('kp.settings.sumMust', { sum: total })} />}
                  </Card>
                  <Card
                    size="small"
                    title={t('kp.settings.bands')}
                    extra={
                      typeof amber === 'number' && typeof red === 'number' && red < amber ? (
                        <Space size={4}>
                          <Tag color="green">
                            {t('kp.band.green')} ≥ {amber}
                          </Tag>
                          <Tag color="gold">
                            {t('kp.band.amber')} {red}–{amber - 1}
                          </Tag>
                          <Tag color="red">
                            {t('kp.band.red')} &lt; {red}
                          </Tag>
                        </Space>
                      ) : null
                    }
                  >
                    <Form.Item
                      name="amberBelow"
                      label={t('kp.settings.amberBelow')}
                      rules={[{ required: true, message: t('common.required') }]}
                      style={{ marginBottom: 12 }}
                    >
                      <InputNumber min={1} max={100} precision={0} style={{ width: 140 }} data-testid="health-amber" />
                    </Form.Item>
                    <Form.Item
                      name="redBelow"
                      label={t('kp.settings.redBelow')}
                      rules={[{ required: true, message: t('common.required') }]}
                      style={{ marginBottom: 12 }}
                    >
                      <InputNumber min={1} max={100} precision={0} style={{ width: 140 }} data-testid="health-red" />
                    </Form.Item>
                  </Card>
                  <StaleNotice message={stale} reloaded={reloaded} onReload={reload} />
                  {save.isError && !isStale(save.error) && (
                    <Alert type="error" showIcon title={errorMessage(save.error)} data-testid="health-save-error" />
                  )}
                  {editable && (
                    <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!ok} data-testid="health-save">
                      {t('common.save')}
                    </Button>
                  )}
                </Space>
              </Form>
            </Col>
          </Row>
        </Space>
      )}
    </SettingsPage>
  );
}
