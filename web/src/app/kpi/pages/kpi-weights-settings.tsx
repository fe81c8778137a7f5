import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Space, Switch, Table, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, isStale } from '../../../api/client';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { useKpiSettings, useSaveKpiSettings, type KpiSettingsBody } from '../api';
import { useCan } from '../../session';
import { ErrorState, LoadingState } from '../../components/states';
import { SettingsPage } from '../../settings/pages/settings-page';

/** Roles and measures as the server knows them (server/modules/kpi/scorecard.domain.ts). */
const roles = ['delivery', 'after_sales', 'sales', 'csm', 'expert'] as const;
type Role = (typeof roles)[number];
const measures = [
  ['ut_pct', 'traditional', true],
  ['quality_pct', 'traditional', true],
  ['milestones_on_time_pct', 'traditional', true],
  ['collections_pct', 'traditional', true],
  ['tasks_done', 'traditional', true],
  ['tasks_on_time_pct', 'traditional', true],
  ['cases_solved', 'traditional', true],
  ['handling_hours', 'traditional', false],
  ['csat_avg', 'traditional', true],
  ['opps_captured', 'growth', true],
  ['opps_amount_yuan', 'growth', true],
  ['opps_incubated', 'growth', true],
  ['opps_incubated_yuan', 'growth', true],
  ['opps_converted', 'growth', true],
  ['closeness_uplift', 'growth', true],
  ['solution_uplift', 'growth', true],
  ['price_uplift', 'growth', true],
  ['relationship_uplift', 'growth', true],
  ['behaviour_mastery', 'growth', true],
  ['key_moment_meetings', 'growth', true],
  ['service_sourced_wins', 'growth', true],
  ['service_sourced_won_yuan', 'growth', true],
] as const;
type Measure = (typeof measures)[number][0];
/** The form holds every measure of every role; "on" says whether it is in the scorecard. */
type Row = { on: boolean; weight: number | null; target: number | null };
type FormValues = { weights: Record<Role, Record<Measure, Row>>; restrictPersonal: boolean };

function toForm(s: KpiSettingsBody): FormValues {
  const weights = {} as FormValues['weights'];
  for (const r of roles) {
    weights[r] = {} as Record<Measure, Row>;
    for (const [m] of measures) {
      const c = s.weights[r]?.[m];
      weights[r][m] = { on: !!c, weight: c?.weight ?? null, target: c?.target ?? null };
    }
  }
  return { weights, restrictPersonal: s.restrictPersonal };
}

function fromForm(v: FormValues): KpiSettingsBody {
  const weights: KpiSettingsBody['weights'] = {};
  for (const r of roles) {
    weights[r] = {};
    for (const [m] of measures) {
      const x = v.weights?.[r]?.[m];
      if (x?.on) weights[r][m] = { weight: Number(x.weight), target: Number(x.target) };
    }
  }
  return { weights, restrictPersonal: !!v.restrictPersonal };
}

const roleSum = (rw?: Record<string, Row | undefined>) => Object.values(rw ?? {}).reduce((s, x) => s + (x?.on ? Number(x.weight) || 0 : 0), 0);

function RoleTable({ role, disabled }: { role: Role; disabled: boolean }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<FormValues>();
  const rw = Form.useWatch(['weights', role], form) as Record<Measure, Row> | undefined;
  const total = roleSum(rw);
  return (
    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
      <Typography.Text type={total === 100 ? 'success' : 'danger'} strong data-testid={`kpi-sum-${role}`}>
        {t('kp.settings.sum', { sum: total })}
      </Typography.Text>
      <Table
        size="small"
        rowKey={(r) => r[0]}
        pagination={false}
        dataSource={measures as unknown as (typeof measures)[number][]}
        columns={[
          {
            title: t('kp.settings.include'),
            width: 100,
            render: (_, [m]) => (
              <Form.Item name={['weights', role, m, 'on']} valuePropName="checked" noStyle>
                <Checkbox disabled={disabled} data-testid={`kpi-on-${role}-${m}`} />
              </Form.Item>
            ),
          },
          {
            title: t('kp.kpi.measure'),
            render: (_, [m, , higher]) => (
              <Space size={4}>
                <span>{t(`kp.kpi.measures.${m}`)}</span>
                {!higher && <Typography.Text type="secondary">({t('kp.settings.lowerBetter')})</Typography.Text>}
              </Space>
            ),
          },
          {
            title: t('kp.kpi.kind'),
            width: 110,
            render: (_, [, kind]) => <Tag color={kind === 'growth' ? 'green' : 'default'}>{t(`kp.kpi.${kind}`)}</Tag>,
          },
          {
            title: t('kp.kpi.weight'),
            width: 170,
            render: (_, [m]) => {
              const on = !!rw?.[m]?.on;
              return (
                <Form.Item
                  name={['weights', role, m, 'weight']}
                  rules={on ? [{ required: true, message: t('common.required') }] : []}
                  style={{ margin: 0 }}
                >
                  <InputNumber
                    min={1}
                    max={100}
                    precision={0}
                    suffix="%"
                    style={{ width: 130 }}
                    disabled={disabled || !on}
                    data-testid={`kpi-weight-${role}-${m}`}
                  />
                </Form.Item>
              );
            },
          },
          {
            title: t('kp.kpi.target'),
            width: 200,
            render: (_, [m]) => {
              const on = !!rw?.[m]?.on;
              return (
                <Form.Item
                  name={['weights', role, m, 'target']}
                  rules={on ? [{ required: true, message: t('common.required') }] : []}
                  style={{ margin: 0 }}
                >
                  <InputNumber min={0} style={{ width: 160 }} disabled={disabled || !on} data-testid={`kpi-target-${role}-${m}`} />
                </Form.Item>
              );
            },
          },
        ]}
      />
      {total !== 100 && <Alert type="error" showIcon title={t('kp.settings.sumMust', { sum: total })} />}
    </Space>
  );
}

export function KpiWeightsSettingsPage() {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const editable = can('kpi.manage');
  const data = useKpiSettings();
  const [form] = Form.useForm<FormValues>();
  const [tab, setTab] = useState<Role>('delivery');
  const [roleError, setRoleError] = useState<{ role: string; message: string } | null>(null);
  // optimistic concurrency: saved from the version the form showed; a refetch refills only an untouched
  // form, and a 412 offers a reload that keeps what was typed
  const version = useSettingsVersion(form, data.data, data.refetch, toForm);
  const all = Form.useWatch('weights', form) as FormValues['weights'] | undefined;
  const valid = !!all && roles.every((r) => roleSum(all[r]) === 100);

  const save = useSaveKpiSettings();
  const submit = (v: FormValues) =>
    save.mutate(
      { ...fromForm({ ...form.getFieldsValue(true), ...v }), version: version.version },
      {
        onSuccess: (r) => {
          setRoleError(null);
          version.saved(r);
          message.success(t('kp.settings.saved'));
        },
        onError: (e) => {
          if (version.failed(e)) return;
          // The server names the field as role, role.measure.weight or role.measure.target.
          if (!(e instanceof ApiError)) return;
          for (const f of e.fields) {
            const [role, m, which] = f.field.split('.');
            if (!(roles as readonly string[]).includes(role)) continue;
            setTab(role as Role);
            if (m && which) form.setFields([{ name: ['weights', role, m, which] as never, errors: [e.message] }]);
            else setRoleError({ role, message: e.message });
          }
        },
      },
    );

  return (
    <SettingsPage title={t('menu.kpiWeights')} card={false}>
      {data.isPending ? (
        <div className="kw-card">
          <LoadingState />
        </div>
      ) : data.isError ? (
        <div className="kw-card">
          <ErrorState error={data.error} onRetry={() => void data.refetch()} />
        </div>
      ) : (
        <Form form={form} onFinish={submit} disabled={!editable}>
          <Space orientation="vertical" size={16} style={{ width: '100%' }}>
            <Alert type="info" showIcon title={t('kp.settings.kpiIntro')} />
            {!editable && <Alert type="warning" showIcon title={t('kp.settings.readOnly')} />}
            <Card size="small">
              <Space align="start">
                <Form.Item name="restrictPersonal" valuePropName="checked" noStyle>
                  <Switch data-testid="kpi-restrict" />
                </Form.Item>
                <div>
                  <Typography.Text strong>{t('kp.settings.restrictPersonal')}</Typography.Text>
                  <br />
                  <Typography.Text type="secondary">{t('kp.settings.restrictPersonalHint')}</Typography.Text>
                </div>
              </Space>
            </Card>
            <Card size="small" styles={{ body: { paddingTop: 0 } }}>
              <Tabs
                activeKey={tab}
                onChange={(k) => setTab(k as Role)}
                items={roles.map((r) => ({
                  key: r,
                  forceRender: true,
                  label: (
                    <span data-testid={`kpi-tab-${r}`}>
                      {t(`kp.kpi.roles.${r}`)} {all && roleSum(all[r]) !== 100 && <Tag color="red">{roleSum(all[r])}</Tag>}
                    </span>
                  ),
                  children: (
                    <Space orientation="vertical" size={12} style={{ width: '100%' }}>
                      {roleError?.role === r && <Alert type="error" showIcon title={roleError.message} />}
                      <RoleTable role={r} disabled={!editable} />
                    </Space>
                  ),
                }))}
              />
            </Card>
            <StaleNotice {...version.notice} />
            {save.isError && !isStale(save.error) && <Alert type="error" showIcon title={errorMessage(save.error)} data-testid="kpi-save-error" />}
            {editable && (
              <Button type="primary" htmlType="submit" loading={save.isPending} disabled={!valid} data-testid="kpi-save">
                {t('common.save')}
              </Button>
            )}
          </Space>
        </Form>
      )}
    </SettingsPage>
  );
}
