// A contact's consent to be reached, per channel: where it stands, its history with source and date, and a
// new record (staff who talk to the customer). Opened from the contacts of the account 360.
import { App, Button, Descriptions, Drawer, Form, Input, Radio, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../format';
import { useCan } from '../../session';
import { useConsents, useRecordConsent, type ConsentBody, type Consents } from '../api';

type Entry = Consents['history'][number];
type Source = 'staff' | 'form' | 'import' | 'unsubscribe_link';
const channels = ['email', 'portal'] as const;

function State({ e }: { e: Entry | null }) {
  const { t } = useTranslation();
  if (!e) return <Tag>{t('or.consent.none')}</Tag>;
  return (
    <Space size={4} wrap>
      <Tag color={e.granted ? 'green' : 'red'}>{t(e.granted ? 'or.consent.granted' : 'or.consent.withdrawn')}</Tag>
      <Typography.Text type="secondary">
        {t(`or.consent.source.${e.source as Source}`)} · {formatDateTime(e.at)}
      </Typography.Text>
    </Space>
  );
}

export function ConsentDrawer({ contact, onClose }: { contact: { id: string; name: string } | null; onClose: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const q = useConsents(contact?.id ?? null);
  const record = useRecordConsent(contact?.id ?? '');
  const [form] = Form.useForm<{ channel: ConsentBody['channel']; granted: boolean; note?: string }>();
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await record.mutateAsync({ channel: v.channel, granted: v.granted, source: 'staff', note: v.note?.trim() || null });
      form.resetFields(['note']);
      message.success(t('common.saved'));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  return (
    <Drawer
      open={!!contact}
      onClose={onClose}
      size={560}
      title={contact ? `${t('or.consent.title')} · ${contact.name}` : ''}
      destroyOnHidden
      data-testid="consent-drawer"
    >
      {q.isPending ? (
        <LoadingState rows={4} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Space direction="vertical" size={16} style={{ width: '100%' }}>
          <Descriptions size="small" column={1} bordered>
            {channels.map((c) => (
              <Descriptions.Item key={c} label={t(`or.channel.${c}`)}>
                <State e={q.data.current[c]} />
              </Descriptions.Item>
            ))}
          </Descriptions>
          {can('outreach.consent') && (
            <Form form={form} layout="inline" initialValues={{ channel: 'email', granted: true }} style={{ rowGap: 8 }}>
              <Form.Item name="channel">
                <Radio.Group options={channels.map((c) => ({ value: c, label: t(`or.channel.${c}`) }))} optionType="button" />
              </Form.Item>
              <Form.Item name="granted">
                <Radio.Group
                  options={[
                    { value: true, label: t('or.consent.grant') },
                    { value: false, label: t('or.consent.withdraw') },
                  ]}
                />
              </Form.Item>
              <Form.Item name="note" style={{ flex: 1, minWidth: 200 }}>
                <Input maxLength={500} placeholder={t('or.consent.note')} />
              </Form.Item>
              <Button type="primary" loading={record.isPending} onClick={() => void submit()} data-testid="consent-record">
                {t('or.consent.record')}
              </Button>
            </Form>
          )}
          <Typography.Text strong>{t('or.consent.history')}</Typography.Text>
          <Table<Entry>
            rowKey="id"
            size="small"
            dataSource={q.data.history}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            locale={{ emptyText: t('or.consent.empty') }}
            columns={[
              { title: t('or.consent.at'), dataIndex: 'at', render: (v: string) => formatDateTime(v) },
              { title: t('or.consent.channel'), dataIndex: 'channel', render: (v: Entry['channel']) => t(`or.channel.${v}`) },
              {
                title: t('or.consent.state'),
                dataIndex: 'granted',
                render: (g: boolean) => <Tag color={g ? 'green' : 'red'}>{t(g ? 'or.consent.granted' : 'or.consent.withdrawn')}</Tag>,
              },
              { title: t('or.consent.sourceCol'), dataIndex: 'source', render: (s: string) => t(`or.consent.source.${s as Source}`) },
              { title: t('or.consent.noteCol'), dataIndex: 'note', render: (v: string | null) => v ?? '—' },
            ]}
          />
        </Space>
      )}
    </Drawer>
  );
}
