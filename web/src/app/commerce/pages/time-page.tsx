// 我的工时: the hours one booked per project and day (utilisation's numerator), and a form to book more.
import { useState } from 'react';
import { App, Button, Card, DatePicker, Form, Input, InputNumber, Modal, Popconfirm, Select, Space, Statistic, Table, Typography } from 'antd';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, inZone } from '../../format';
import { PageHeader } from '../../components/page-header';
import { applyServerErrors } from '../../components/forms';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StaleNotice, useSettingsVersion } from '../../components/stale-notice';
import { useBookTime, useDeleteTime, useMyTime, useOpenProjects, useUpdateTime } from '../api';

type Values = { projectId: string; workedOn: Dayjs; hours: number; note?: string };
type Entry = NonNullable<ReturnType<typeof useMyTime>['data']>[number];
type CorrectValues = { workedOn: Dayjs; hours: number; note: string };
const toForm = (e: Entry) => ({ workedOn: dayjs(e.workedOn), hours: e.hours, note: e.note });

/**
 * Correcting a booked entry (its day, hours or work note) from the version it was read at: when someone changed
 * it since (a lead), the server's 412 says who and when, and a reload takes their version while keeping what was
 * typed here.
 */
function CorrectTime({ entry, onClose, reload }: { entry: Entry; onClose: () => void; reload: () => Promise<Entry | undefined> }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CorrectValues>();
  const update = useUpdateTime();
  // the version the dialog edits from, its 412 notice and reload: the one the settings forms use
  const version = useSettingsVersion(form, entry, async () => ({ data: await reload() }), toForm);
  const submit = async (v: CorrectValues) => {
    try {
      const e = await update.mutateAsync({
        entryId: entry.id,
        body: { workedOn: v.workedOn.format('YYYY-MM-DD'), hours: v.hours, note: v.note ?? '', version: version.version },
      });
      void message.success(t('cm.time.corrected', { hours: e.hours }));
      onClose();
    } catch (e) {
      if (version.failed(e)) return;
      const msg = applyServerErrors(form, e);
      if (msg) void message.error(msg);
    }
  };
  return (
    <Modal
      open
      title={t('cm.time.editTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={update.isPending}
      destroyOnHidden
      okText={t('common.save')}
      okButtonProps={{ 'data-testid': 'time-correct-save' }}
    >
      <StaleNotice {...version.notice} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="workedOn" label={t('cm.time.workedOn')} rules={[{ required: true, message: t('cm.validation.required') }]}>
          <DatePicker allowClear={false} />
        </Form.Item>
        <Form.Item name="hours" label={t('cm.time.hours')} rules={[{ required: true, message: t('cm.validation.required') }]}>
          <InputNumber min={0.25} max={24} step={0.5} data-testid="time-correct-hours" />
        </Form.Item>
        <Form.Item name="note" label={t('cm.time.note')}>
          <Input maxLength={500} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function TimePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const today = inZone(new Date());
  // Monday to Sunday of the week shown, in the workspace's days
  const [weekStart, setWeekStart] = useState(() => today.subtract((today.day() + 6) % 7, 'day').startOf('day'));
  const from = weekStart.format('YYYY-MM-DD');
  const to = weekStart.add(6, 'day').format('YYYY-MM-DD');
  const entries = useMyTime(from, to);
  const projects = useOpenProjects();
  const book = useBookTime();
  const del = useDeleteTime();
  const [correcting, setCorrecting] = useState<Entry | null>(null);
  const [form] = Form.useForm<Values>();
  const total = (entries.data ?? []).reduce((s, e) => s + e.hours, 0);

  const submit = async (v: Values) => {
    try {
      const e = await book.mutateAsync({
        projectId: v.projectId,
        body: { workedOn: v.workedOn.format('YYYY-MM-DD'), hours: v.hours, note: v.note ?? '' },
      });
      void message.success(t('cm.time.booked', { hours: e.hours }));
      form.resetFields(['hours', 'note']);
    } catch (e) {
      const msg = applyServerErrors(form, e);
      if (msg) void message.error(msg);
    }
  };

  return (
    <>
      <PageHeader title={t('cm.time.title')} sub={t('cm.time.sub')} />
      <div className="kw-content">
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Card size="small" title={t('cm.time.book')}>
            {projects.isError ? (
              <ErrorState error={projects.error} onRetry={() => void projects.refetch()} />
            ) : projects.data && projects.data.length === 0 ? (
              <EmptyState text={t('cm.time.noProjects')} />
            ) : (
              <Form form={form} layout="inline" onFinish={submit} initialValues={{ workedOn: today }}>
                <Form.Item name="projectId" rules={[{ required: true, message: t('cm.validation.required') }]}>
                  <Select
                    style={{ width: 320 }}
                    placeholder={t('cm.time.project')}
                    loading={projects.isPending}
                    showSearch
                    optionFilterProp="label"
                    options={(projects.data ?? []).map((p) => ({ value: p.id, label: `${p.accountName} · ${p.name}` }))}
                    data-testid="time-project"
                  />
                </Form.Item>
                <Form.Item name="workedOn" rules={[{ required: true, message: t('cm.validation.required') }]}>
                  <DatePicker allowClear={false} />
                </Form.Item>
                <Form.Item name="hours" rules={[{ required: true, message: t('cm.validation.required') }]}>
                  <InputNumber min={0.25} max={24} step={0.5} placeholder={t('cm.time.hours')} data-testid="time-hours" />
                </Form.Item>
                <Form.Item name="note">
                  <Input placeholder={t('cm.time.note')} maxLength={500} style={{ width: 240 }} />
                </Form.Item>
                <Button type="primary" htmlType="submit" loading={book.isPending} data-testid="time-book">
                  {t('cm.time.book')}
                </Button>
              </Form>
            )}
          </Card>
          <Card
            size="small"
            title={
              <Space>
                <Button size="small" onClick={() => setWeekStart(weekStart.subtract(7, 'day'))}>
                  ‹
                </Button>
                <span>
                  {formatDate(from)} – {formatDate(to)}
                </span>
                <Button size="small" onClick={() => setWeekStart(weekStart.add(7, 'day'))}>
                  ›
                </Button>
              </Space>
            }
            extra={<Statistic title={t('cm.time.week')} value={total} suffix="h" valueStyle={{ fontSize: 18 }} />}
          >
            {entries.isPending ? (
              <LoadingState rows={5} />
            ) : entries.isError ? (
              <ErrorState error={entries.error} onRetry={() => void entries.refetch()} />
            ) : (
              <Table
                size="small"
                rowKey="id"
                dataSource={entries.data}
                pagination={false}
                locale={{ emptyText: <Typography.Text type="secondary">{t('cm.time.empty')}</Typography.Text> }}
                columns={[
                  { title: t('cm.time.workedOn'), dataIndex: 'workedOn', render: formatDate },
                  {
                    title: t('cm.time.project'),
                    dataIndex: 'projectName',
                    render: (name: string, r) => (r.accountName ? `${r.accountName} · ${name}` : name),
                  },
                  { title: t('cm.time.hours'), dataIndex: 'hours', align: 'right' },
                  { title: t('cm.time.note'), dataIndex: 'note' },
                  {
                    title: '',
                    key: 'x',
                    render: (_: unknown, r) => (
                      <Space size={0}>
                        <Button
                          size="small"
                          type="text"
                          icon={<EditOutlined />}
                          aria-label={t('cm.time.edit')}
                          title={t('cm.time.edit')}
                          onClick={() => setCorrecting(r)}
                          data-testid="time-correct"
                        />
                        <Popconfirm
                          title={t('cm.time.deleteConfirm')}
                          onConfirm={() =>
                            del.mutateAsync(r.id).then(
                              () => undefined,
                              (e) => void message.error(errorMessage(e)),
                            )
                          }
                        >
                          <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                        </Popconfirm>
                      </Space>
                    ),
                  },
                ]}
              />
            )}
          </Card>
        </Space>
      </div>
      {correcting && (
        <CorrectTime
          key={correcting.id}
          entry={correcting}
          onClose={() => setCorrecting(null)}
          reload={async () => (await entries.refetch()).data?.find((e) => e.id === correcting.id)}
        />
      )}
    </>
  );
}
