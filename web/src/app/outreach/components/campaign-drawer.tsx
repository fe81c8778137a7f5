// One campaign: what it is and where it stands, its send preview, its recipients; edit, send and cancel
// (each confirmed first: they reach customers).
import { App, Button, Descriptions, Drawer, Popconfirm, Segmented, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { useEnum } from '../../components/labels';
import { useFieldLabel } from '../../components/segment-rules';
import { ErrorState, LoadingState } from '../../components/states';
import { formatDateTime } from '../../format';
import { useCan } from '../../session';
import {
  useCampaign,
  useCampaignCommand,
  usePreview,
  useRecipients,
  type Campaign,
  type CampaignStatus,
  type ExcludeReason,
  type RecipientState,
  type Recipients,
} from '../api';
import { CampaignEditor } from './campaign-editor';
import { PreviewPanel } from './preview-panel';

export const statusColor: Record<CampaignStatus, string> = {
  draft: 'default',
  scheduled: 'blue',
  sending: 'processing',
  sent: 'green',
  cancelled: 'red',
};
const enumFields: Record<string, string> = { tier: 'tier', stage: 'stage', toCStage: 'toCStage', ladder: 'ladder', channel: 'channel' };

function AudienceSummary({ c }: { c: Campaign }) {
  const { t } = useTranslation();
  const label = useEnum();
  const fieldLabel = useFieldLabel();
  const parts = c.audience.conditions.map((r) => (
    <div key={r.field}>
      <Typography.Text type="secondary">{fieldLabel(r.field)}:</Typography.Text>{' '}
      {r.values.map((v) => (
        <Tag key={v}>{enumFields[r.field] ? label(enumFields[r.field] as never, v) : v}</Tag>
      ))}
    </div>
  ));
  if (c.audience.contactIds.length) parts.push(<div key="ids">{t('or.drawer.named', { count: c.audience.contactIds.length })}</div>);
  const tags = c.audience.personTags ?? [];
  const stages = c.audience.personStages ?? [];
  if (tags.length)
    parts.push(
      <div key="person-tags" data-testid="audience-person-tags">
        <Typography.Text type="secondary">{t('or.drawer.personTags')}:</Typography.Text>{' '}
        {tags.map((v) => (
          <Tag key={v}>{v}</Tag>
        ))}
      </div>,
    );
  if (stages.length)
    parts.push(
      <div key="person-stages" data-testid="audience-person-stages">
        <Typography.Text type="secondary">{t('or.drawer.personStages')}:</Typography.Text>{' '}
        {stages.map((v) => (
          <Tag key={v}>{label('toCStage', v)}</Tag>
        ))}
      </div>,
    );
  if ((tags.length || stages.length) && (c.audience.conditions.length || c.audience.contactIds.length))
    parts.push(
      <Typography.Text key="narrow" type="secondary" style={{ fontSize: 12 }}>
        {t('or.drawer.narrowed')}
      </Typography.Text>,
    );
  return <>{parts.length ? parts : '—'}</>;
}

/** A subject or body as written, its variables shown as what they become (联系人姓名, 客户名称), not as {{name}}. */
function Template({ text }: { text: string }) {
  const { t } = useTranslation();
  return (
    <>
      {text.split(/(\{\{\s*(?:name|account)\s*\}\})/).map((part, i) => {
        const v = /^\{\{\s*(name|account)\s*\}\}$/.exec(part)?.[1];
        return v ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed text
          <Tag key={i} color="blue" style={{ marginInline: 2 }}>
            {t(`or.edit.var.${v as 'name' | 'account'}`)}
          </Tag>
        ) : (
          part
        );
      })}
    </>
  );
}

function Overview({ c, onEdit }: { c: Campaign; onEdit: () => void }) {
  const { t } = useTranslation();
  const can = useCan();
  const { message } = App.useApp();
  const command = useCampaignCommand();
  const forecast = usePreview(c.status === 'draft' ? c.id : null);
  const count = (state: string) => c.counts.filter((x) => x.state === state).reduce((a, x) => a + x.count, 0);
  const run = async (cmd: 'send' | 'cancel') => {
    try {
      await command.mutateAsync({ id: c.id, command: cmd, version: c.version });
      message.success(t(cmd === 'send' ? 'or.drawer.sendDone' : 'or.drawer.cancelDone'));
    } catch (e) {
      message.error(errorMessage(e));
    }
  };
  const manage = can('outreach.manage');
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Descriptions size="small" column={1} bordered>
        <Descriptions.Item label={t('or.col.status')}>
          <Tag color={statusColor[c.status]}>{t(`or.status.${c.status}`)}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('or.col.channel')}>{t(`or.channel.${c.channel}`)}</Descriptions.Item>
        <Descriptions.Item label={t('or.edit.audience')}>
          <AudienceSummary c={c} />
        </Descriptions.Item>
        <Descriptions.Item label={t('or.col.cap')}>{c.cap ? t('or.cap', { count: c.cap.count, days: c.cap.days }) : t('or.noCap')}</Descriptions.Item>
        <Descriptions.Item label={t('or.col.scheduledAt')}>{c.scheduledAt ? formatDateTime(c.scheduledAt) : t('or.now')}</Descriptions.Item>
        <Descriptions.Item label={t('or.edit.subject')}>
          <Template text={c.subject} />
        </Descriptions.Item>
        <Descriptions.Item label={t('or.edit.body')}>
          <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', marginBottom: 0 }}>
            <Template text={c.body} />
          </Typography.Paragraph>
        </Descriptions.Item>
        {c.sentAt && <Descriptions.Item label={t('or.col.sentAt')}>{formatDateTime(c.sentAt)}</Descriptions.Item>}
      </Descriptions>
      {c.status !== 'draft' && (
        <Space size={32} wrap data-testid="campaign-counts">
          <Statistic title={t('or.state.planned')} value={count('planned')} />
          <Statistic title={t('or.state.sent')} value={count('sent')} />
          <Statistic title={t('or.state.excluded')} value={count('excluded')} />
        </Space>
      )}
      {manage && (
        <Space wrap>
          {c.status === 'draft' && <Button onClick={onEdit}>{t('common.edit')}</Button>}
          {c.status === 'draft' && (
            <Popconfirm
              title={t('or.drawer.sendConfirm')}
              description={
                forecast.data
                  ? t(c.scheduledAt ? 'or.drawer.sendWhenScheduled' : 'or.drawer.sendWho', {
                      included: forecast.data.included,
                      excluded: forecast.data.total - forecast.data.included,
                      at: c.scheduledAt ? formatDateTime(c.scheduledAt) : '',
                    })
                  : t('or.drawer.counting')
              }
              okText={t('or.drawer.send')}
              cancelText={t('common.cancel')}
              onConfirm={() => run('send')}
            >
              <Button type="primary" loading={command.isPending} data-testid="campaign-send">
                {t('or.drawer.send')}
              </Button>
            </Popconfirm>
          )}
          {(c.status === 'scheduled' || c.status === 'sending') && (
            <Popconfirm
              title={t('or.drawer.cancelConfirm')}
              description={t('or.drawer.cancelHint')}
              okText={t('or.drawer.cancel')}
              okButtonProps={{ danger: true }}
              cancelText={t('common.back')}
              onConfirm={() => run('cancel')}
            >
              <Button danger loading={command.isPending} data-testid="campaign-cancel">
                {t('or.drawer.cancel')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      )}
    </Space>
  );
}

type Recipient = Recipients['items'][number];
function RecipientsPanel({ id }: { id: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<RecipientState | undefined>();
  const [page, setPage] = useState(1);
  const q = useRecipients(id, state, page);
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Segmented
        value={state ?? 'all'}
        onChange={(v) => {
          setState(v === 'all' ? undefined : (v as RecipientState));
          setPage(1);
        }}
        options={[
          { value: 'all', label: t('or.preview.all') },
          ...(['planned', 'sent', 'excluded'] as const).map((s) => ({ value: s, label: t(`or.state.${s}`) })),
        ]}
      />
      {q.isPending ? (
        <LoadingState rows={5} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : (
        <Table<Recipient>
          rowKey="contactId"
          size="small"
          data-testid="campaign-recipients"
          dataSource={q.data.items}
          loading={q.isFetching}
          locale={{ emptyText: t('or.drawer.noRecipients') }}
          pagination={{ current: page, pageSize: 50, total: q.data.total, onChange: setPage, showSizeChanger: false, hideOnSinglePage: true }}
          columns={[
            { title: t('or.preview.person'), dataIndex: 'name', render: (v: string | null) => v ?? '—' },
            { title: t('or.preview.account'), dataIndex: 'accountName', render: (v: string | null) => v ?? '—' },
            {
              title: t('or.preview.result'),
              key: 'state',
              render: (_, r) =>
                r.state === 'excluded' && r.reason ? (
                  <Tag color="orange">{t(`or.reason.${r.reason as ExcludeReason}`)}</Tag>
                ) : (
                  <Tag color={r.state === 'sent' ? 'green' : 'blue'}>{t(`or.state.${r.state}`)}</Tag>
                ),
            },
            { title: t('or.drawer.sentAt'), dataIndex: 'sentAt', render: (v: string | null) => (v ? formatDateTime(v) : '—') },
          ]}
        />
      )}
    </Space>
  );
}

/** `id`: the campaign shown, or 'new' for the editor of a new one. */
export function CampaignDrawer({ id, onClose, onCreated }: { id: string | null; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const isNew = id === 'new';
  const q = useCampaign(isNew ? null : id);
  const [editing, setEditing] = useState(false);
  const [tab, setTab] = useState('overview');
  const close = () => {
    setEditing(false);
    setTab('overview');
    onClose();
  };
  const title = isNew ? t('or.drawer.new') : q.data ? q.data.name : '';
  return (
    <Drawer open={!!id} onClose={close} size={720} title={title} destroyOnHidden data-testid="campaign-drawer">
      {isNew ? (
        <CampaignEditor campaign={null} refetch={async () => ({})} onSaved={(c) => onCreated(c.id)} onCancel={close} />
      ) : q.isPending ? (
        <LoadingState rows={8} />
      ) : q.isError ? (
        <ErrorState error={q.error} onRetry={() => void q.refetch()} />
      ) : editing ? (
        <CampaignEditor campaign={q.data} refetch={q.refetch} onSaved={() => setEditing(false)} onCancel={() => setEditing(false)} />
      ) : (
        <Tabs
          activeKey={tab}
          onChange={setTab}
          items={[
            { key: 'overview', label: t('or.drawer.overview'), children: <Overview c={q.data} onEdit={() => setEditing(true)} /> },
            ...(q.data.status === 'draft' || q.data.status === 'scheduled'
              ? [{ key: 'preview', label: t('or.drawer.preview'), children: <PreviewPanel campaignId={q.data.id} /> }]
              : []),
            ...(q.data.status !== 'draft'
              ? [{ key: 'recipients', label: t('or.drawer.recipients'), children: <RecipientsPanel id={q.data.id} /> }]
              : []),
          ]}
        />
      )}
    </Drawer>
  );
}
