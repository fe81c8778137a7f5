import { useCallback, useEffect, useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Form, Input, InputNumber, Space, Table, Tag, TimePicker } from 'antd';
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage, isStale } from '../../../api/client';
import { PageHeader } from '../../components/page-header';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { ErrorState, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { useSaveSla, useSlaSettings, type Policy, type SlaSettings } from '../api';
import { useSd } from '../components/labels';
import { SlaPreviewCard } from '../components/sla-preview-card';

const days = [1, 2, 3, 4, 5, 6, 7];
const policyKey = (p: Pick<Policy, 'tier' | 'severity'>) => `${p.tier}-${p.severity}`;
const calendarForm = (c: SlaSettings['calendar']) => ({
  name: c.name,
  timezone: c.timezone,
  workingDays: c.workingDays,
  periods: c.periods.map((p) => [dayjs(p.start, 'HH:mm'), dayjs(p.end === '24:00' ? '23:59' : p.end, 'HH:mm')]),
  holidays: c.holidays.join('\n'),
  extraWorkdays: c.extraWorkdays.join('\n'),
});
const lines = (s: string) =>
  s
    .split(/[\s,，]+/)
    .map((x) => x.trim())
    .filter(Boolean);

/** 设置 → SLA 策略与日历: the business calendar and the tier × severity targets. */
export function SlaSettingsPage() {
  const { t } = useTranslation();
  const sd = useSd();
  const can = useCan();
  const { message } = App.useApp();
  const q = useSlaSettings();
  const save = useSaveSla();
  const [form] = Form.useForm();
  const [rows, setRows] = useState<Policy[]>([]);
  const editable = can('sla.manage');
  // optimistic concurrency: the calendar and the policies are saved from the versions the page showed; a
  // background refetch refills only what was not edited, and a 412 offers a reload that keeps the edits
  const calendar = useSettingsVersion(
    form,
    q.data?.calendar,
    useCallback(async () => ({ data: (await q.refetch()).data?.calendar }), [q]),
    calendarForm,
  );
  const [edited, setEdited] = useState<Set<string>>(new Set());
  const [policiesVersion, setPoliciesVersion] = useState<number>();
  const [policiesStale, setPoliciesStale] = useState<string | null>(null);
  const [policiesReloaded, setPoliciesReloaded] = useState(false);
  useEffect(() => {
    if (!q.data || edited.size) return;
    setRows(q.data.policies);
    setPoliciesVersion(q.data.policiesVersion);
  }, [q.data, edited]);
  const reloadPolicies = async () => {
    const fresh = (await q.refetch()).data;
    if (fresh) {
      // the rows the user edited keep their input; the others show what was saved meanwhile
      setRows((mine) => fresh.policies.map((f) => (edited.has(policyKey(f)) ? (mine.find((r) => policyKey(r) === policyKey(f)) ?? f) : f)));
      setPoliciesVersion(fresh.policiesVersion);
    }
    setPoliciesStale(null);
    setPoliciesReloaded(true);
  };
  if (q.isPending)
    return (
      <div className="kw-card">
        <LoadingState rows={10} />
      </div>
    );
  if (q.isError)
    return (
      <div className="kw-card">
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      </div>
    );

  const setRow = (i: number, patch: Partial<Policy>) => {
    setEdited((e) => new Set(e).add(policyKey(rows[i])));
    setRows((rs) => rs.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  };
  const num = (i: number, k: 'firstResponseMinutes' | 'nextResponseMinutes' | 'resolutionMinutes' | 'warnPct') => (v: number | null) =>
    setRow(i, { [k]: v ?? 1, isDefault: false });

  return (
    <>
      <PageHeader title={t('sd.settings.sla')} breadcrumb={[{ title: t('menu.settings') }, { title: t('sd.settings.sla') }]} />
      <div className="kw-content">
        <Card title={t('sd.settings.calendar')} style={{ marginBottom: 16 }}>
          <Alert type="info" showIcon title={t('sd.settings.calendarNote')} style={{ marginBottom: 16 }} />
          <Form
            form={form}
            layout="vertical"
            disabled={!editable}
            onFinish={async (v) => {
              try {
                const saved = await save.calendar.mutateAsync({
                  version: calendar.version,
                  name: v.name,
                  timezone: v.timezone,
                  workingDays: v.workingDays,
                  periods: (v.periods as [dayjs.Dayjs, dayjs.Dayjs][])
                    .filter(Boolean)
                    .map(([a, b]) => ({ start: a.format('HH:mm'), end: b.format('HH:mm') })),
                  holidays: lines(v.holidays ?? ''),
                  extraWorkdays: lines(v.extraWorkdays ?? ''),
                });
                calendar.saved(saved.calendar);
                message.success(t('common.saved'));
              } catch (e) {
                if (!calendar.failed(e)) message.error(errorMessage(e));
              }
            }}
          >
            <Space wrap align="start">
              <Form.Item name="name" label={t('sd.settings.calendarName')} rules={[{ required: true }]}>
                <Input style={{ width: 280 }} />
              </Form.Item>
              <Form.Item name="timezone" label={t('sd.settings.timezone')} rules={[{ required: true }]}>
                <Input style={{ width: 200 }} />
              </Form.Item>
            </Space>
            <Form.Item name="workingDays" label={t('sd.settings.workingDays')}>
              <Checkbox.Group options={days.map((d) => ({ value: d, label: t(`sd.settings.weekday.${d}` as 'sd.title') }))} />
            </Form.Item>
            <Form.List name="periods">
              {(fields, { add, remove }) => (
                <Form.Item label={t('sd.settings.periods')}>
                  <Space wrap>
                    {fields.map((f) => (
                      <Space key={f.key} size={2}>
                        <Form.Item name={f.name} noStyle rules={[{ required: true }]}>
                          <TimePicker.RangePicker format="HH:mm" minuteStep={5} />
                        </Form.Item>
                        <Button type="text" icon={<DeleteOutlined />} onClick={() => remove(f.name)} />
                      </Space>
                    ))}
                    <Button icon={<PlusOutlined />} onClick={() => add()}>
                      {t('sd.settings.addPeriod')}
                    </Button>
                  </Space>
                </Form.Item>
              )}
            </Form.List>
            <Space wrap align="start">
              <Form.Item name="holidays" label={t('sd.settings.holidays')} extra={t('sd.settings.datesHint')}>
                <Input.TextArea rows={6} style={{ width: 260 }} />
              </Form.Item>
              <Form.Item name="extraWorkdays" label={t('sd.settings.extraWorkdays')} extra={t('sd.settings.datesHint')}>
                <Input.TextArea rows={6} style={{ width: 260 }} />
              </Form.Item>
            </Space>
            <StaleNotice {...calendar.notice} />
            {editable && (
              <Button type="primary" htmlType="submit" loading={save.calendar.isPending} data-testid="sla-calendar-save">
                {t('common.save')}
              </Button>
            )}
          </Form>
        </Card>
        <Card
          title={t('sd.settings.policies')}
          extra={
            editable && (
              <Button
                type="primary"
                loading={save.policies.isPending}
                data-testid="sla-policies-save"
                onClick={async () => {
                  try {
                    const saved = await save.policies.mutateAsync({
                      policies: rows.map(({ isDefault: _d, ...r }) => r),
                      version: policiesVersion,
                    });
                    setRows(saved.policies);
                    setPoliciesVersion(saved.version);
                    setEdited(new Set());
                    setPoliciesStale(null);
                    setPoliciesReloaded(false);
                    message.success(t('common.saved'));
                  } catch (e) {
                    if (isStale(e)) {
                      setPoliciesReloaded(false);
                      setPoliciesStale(e.message);
                    } else message.error(errorMessage(e));
                  }
                }}
              >
                {t('common.save')}
              </Button>
            )
          }
        >
          <Alert type="warning" showIcon title={t('sd.settings.policyNote')} style={{ marginBottom: 16 }} />
          <StaleNotice message={policiesStale} reloaded={policiesReloaded} onReload={reloadPolicies} />
          <Table<Policy>
            rowKey={policyKey}
            size="small"
            pagination={false}
            dataSource={rows}
            columns={[
              { title: t('sd.settings.tiers'), dataIndex: 'tier', width: 70, render: (v: string) => <Tag>{v}</Tag> },
              {
                title: t('sd.fields.severity'),
                dataIndex: 'severity',
                width: 90,
                render: (v: string, r) => (
                  <>
                    {sd('severity', v)} {r.isDefault && <Tag>{t('sd.settings.default')}</Tag>}
                  </>
                ),
              },
              {
                title: t('sd.settings.firstResponse'),
                dataIndex: 'firstResponseMinutes',
                render: (v: number, _r, i) => <InputNumber min={1} value={v} disabled={!editable} onChange={num(i, 'firstResponseMinutes')} />,
              },
              {
                title: t('sd.settings.nextResponse'),
                dataIndex: 'nextResponseMinutes',
                render: (v: number, _r, i) => <InputNumber min={1} value={v} disabled={!editable} onChange={num(i, 'nextResponseMinutes')} />,
              },
              {
                title: t('sd.settings.resolution'),
                dataIndex: 'resolutionMinutes',
                render: (v: number, _r, i) => <InputNumber min={1} value={v} disabled={!editable} onChange={num(i, 'resolutionMinutes')} />,
              },
              {
                title: t('sd.settings.warnPct'),
                dataIndex: 'warnPct',
                render: (v: number, _r, i) => <InputNumber min={1} max={99} value={v} disabled={!editable} onChange={num(i, 'warnPct')} />,
              },
            ]}
          />
        </Card>
        <SlaPreviewCard />
      </div>
    </>
  );
}
