import { useState } from 'react';
import { App, Badge, Button, Card, Checkbox, Empty, Input, List, Select, Space, Tabs, Tag, Typography } from 'antd';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header';
import { ErrorState, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { errorMessage } from '../../../api/client';
import {
  useAnswerDemand,
  useCaptureDemand,
  useCloseDemand,
  useCreatePost,
  useDeletePost,
  useDemands,
  usePortalEvents,
  usePosts,
  useThread,
  useUpdatePost,
  useWords,
  type Post,
} from '../api';

/** Staff side of the portal: needs arriving live (SSE) with their discussion, and the content key persons read. */
export function PortalAdminPage() {
  const w = useWords();
  const [sp, setSp] = useSearchParams();
  const tab = sp.get('tab') === 'content' ? 'content' : 'needs';
  return (
    <>
      <PageHeader title={w.title} breadcrumb={[{ title: w.title }]} />
      <div className="kw-content">
        <Tabs
          activeKey={tab}
          onChange={(k) => setSp(k === 'needs' ? {} : { tab: k }, { replace: true })}
          items={[
            { key: 'needs', label: <span data-testid="tab-needs">{w.needs}</span>, children: <NeedsDesk /> },
            { key: 'content', label: <span data-testid="tab-content">{w.content}</span>, children: <ContentDesk /> },
          ]}
        />
      </div>
    </>
  );
}

function NeedsDesk() {
  const w = useWords();
  const { notification } = App.useApp();
  const [sp, setSp] = useSearchParams();
  const [selected, setSelected] = useState<string | null>(sp.get('demand'));
  const q = useDemands();
  usePortalEvents((type) => {
    if (type === 'demand.created') notification.info({ message: w.needs, description: w.newNeed, placement: 'bottomRight' });
  });
  const pick = (id: string) => {
    setSelected(id);
    setSp({ demand: id }, { replace: true });
  };
  return (
    <div style={{ display: 'grid', gridTemplateColumns: 'minmax(260px, 1fr) 2fr', gap: 16 }}>
      <Card
        size="small"
        title={
          <Space>
            {w.needs}
            <Badge status="processing" text={w.live} />
          </Space>
        }
      >
        {q.isPending ? (
          <LoadingState />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <List
            data-testid="needs-list"
            locale={{ emptyText: w.none }}
            dataSource={q.data}
            renderItem={(d) => (
              <List.Item
                onClick={() => pick(d.id)}
                style={{ cursor: 'pointer', background: d.id === selected ? '#e6f4ff' : undefined, paddingInline: 8 }}
                data-testid="need-row"
              >
                <List.Item.Meta
                  title={
                    <Space>
                      {d.title}
                      <Tag color={d.status === 'open' ? 'blue' : d.status === 'answered' ? 'green' : 'default'}>{w.status[d.status]}</Tag>
                    </Space>
                  }
                  description={`${d.accountName} · ${d.by} · ${d.lastActivityAt.slice(0, 16).replace('T', ' ')} · ${d.messages}`}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
      {selected ? (
        <ThreadCard id={selected} />
      ) : (
        <Card size="small">
          <Empty description={w.none} />
        </Card>
      )}
    </div>
  );
}

function ThreadCard({ id }: { id: string }) {
  const w = useWords();
  const can = useCan();
  const { message } = App.useApp();
  const q = useThread(id);
  const [body, setBody] = useState('');
  const send = useAnswerDemand(id);
  const capture = useCaptureDemand(id);
  const close = useCloseDemand(id);
  if (q.isPending) return <LoadingState />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  return (
    <Card size="small" title={d.title} data-testid="need-thread" extra={<Tag>{w.status[d.status]}</Tag>}>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{d.body}</Typography.Paragraph>
      <Typography.Text type="secondary">{d.by}</Typography.Text>
      <List
        style={{ marginTop: 12 }}
        dataSource={d.messages}
        locale={{ emptyText: w.none }}
        renderItem={(m) => (
          <List.Item style={{ background: m.authorKind === 'staff' ? '#f6ffed' : undefined, paddingInline: 8 }}>
            <List.Item.Meta
              title={`${m.authorName} · ${m.createdAt.slice(0, 16).replace('T', ' ')}`}
              description={<span style={{ whiteSpace: 'pre-wrap' }}>{m.body}</span>}
            />
          </List.Item>
        )}
      />
      {d.status !== 'closed' && can('portal.answer') && (
        <>
          <Input.TextArea rows={3} value={body} onChange={(e) => setBody(e.target.value)} placeholder={w.answer} data-testid="answer-input" />
          <Space style={{ marginTop: 8 }}>
            <Button
              type="primary"
              disabled={!body.trim()}
              loading={send.isPending}
              data-testid="answer-send"
              onClick={() =>
                send.mutate(body, {
                  onSuccess: () => setBody(''),
                  onError: (e) => void message.error(errorMessage(e)),
                })
              }
            >
              {w.send}
            </Button>
            {can('opportunities.capture') && (
              <Button disabled={!!d.opportunityId} onClick={() => capture.mutate(undefined, { onError: (e) => void message.error(errorMessage(e)) })}>
                {d.opportunityId ? w.captured : w.capture}
              </Button>
            )}
            <Button onClick={() => close.mutate(undefined)}>{w.close}</Button>
          </Space>
        </>
      )}
    </Card>
  );
}

function ContentDesk() {
  const w = useWords();
  const can = useCan();
  const { message } = App.useApp();
  const q = usePosts();
  const [f, setF] = useState({ kind: 'news' as Post['kind'], title: '', summary: '', bodyHtml: '', hot: false });
  const create = useCreatePost();
  const toggle = useUpdatePost();
  const remove = useDeletePost();
  return (
    <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 16 }}>
      {can('portal.publish') && (
        <Card size="small" title={w.publish}>
          <Space direction="vertical" style={{ width: '100%' }}>
            <Select
              value={f.kind}
              onChange={(kind) => setF({ ...f, kind })}
              options={(['news', 'event', 'product', 'solution'] as const).map((k) => ({ value: k, label: w.kind[k] }))}
              style={{ width: 200 }}
            />
            <Input
              placeholder={w.titleF}
              value={f.title}
              onChange={(e) => setF({ ...f, title: e.target.value })}
              maxLength={200}
              data-testid="post-title"
            />
            <Input placeholder={w.summary} value={f.summary} onChange={(e) => setF({ ...f, summary: e.target.value })} maxLength={500} />
            <Input.TextArea
              rows={6}
              placeholder={w.body}
              value={f.bodyHtml}
              onChange={(e) => setF({ ...f, bodyHtml: e.target.value })}
              data-testid="post-body"
            />
            <Checkbox checked={f.hot} onChange={(e) => setF({ ...f, hot: e.target.checked })}>
              {w.hot}
            </Checkbox>
            <Button
              type="primary"
              disabled={!f.title.trim()}
              loading={create.isPending}
              data-testid="post-publish"
              onClick={() =>
                create.mutate(
                  { ...f, summary: f.summary || null },
                  { onSuccess: () => setF({ ...f, title: '', summary: '', bodyHtml: '' }), onError: (e) => void message.error(errorMessage(e)) },
                )
              }
            >
              {w.publish}
            </Button>
          </Space>
        </Card>
      )}
      <Card size="small" title={w.content}>
        {q.isPending ? (
          <LoadingState />
        ) : q.isError ? (
          <ErrorState error={q.error} onRetry={() => void q.refetch()} />
        ) : (
          <List
            dataSource={q.data}
            locale={{ emptyText: w.none }}
            renderItem={(p) => (
              <List.Item
                actions={
                  can('portal.publish')
                    ? [
                        <Typography.Link key="t" onClick={() => toggle.mutate({ id: p.id, published: !p.published })}>
                          {p.published ? w.unpublish : w.republish}
                        </Typography.Link>,
                        <Typography.Link key="d" onClick={() => remove.mutate(p.id)}>
                          {w.del}
                        </Typography.Link>,
                      ]
                    : []
                }
              >
                <List.Item.Meta
                  title={
                    <Space>
                      <Tag>{w.kind[p.kind]}</Tag>
                      {p.title}
                      {p.hot && <Tag color="red">{w.hot}</Tag>}
                      {!p.published && <Tag>{w.draft}</Tag>}
                    </Space>
                  }
                  description={p.summary}
                />
              </List.Item>
            )}
          />
        )}
      </Card>
    </div>
  );
}
