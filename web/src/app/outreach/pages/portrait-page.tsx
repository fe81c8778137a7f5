// 用户画像 / Portrait: a person's to-C stage and its history, each tag with why it is there, consent, touches,
// and the person's own time zone; stage, time zone and manual tags changed here (issue 18 point 1).
import { App, Button, Card, Col, Descriptions, Empty, Flex, Form, Input, List, Popconfirm, Row, Select, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { errorMessage, isStale } from '../../../api/client';
import { formatDateTime } from '../../format';
import { useEnum, useEnumOptions } from '../../components/labels';
import { PageHeader } from '../../components/page-header';
import { StaleNotice } from '../../components/stale-notice';
import { ErrorState, LoadingState } from '../../components/states';
import { useTimeZoneOptions } from '../../components/time-zones';
import { useCan } from '../../session';
import { sourceColor, useTagWhy } from '../components/person-tags';
import { toCStages, useAddTag, usePortrait, useRemoveTag, useSaveProfile, type Portrait, type ToCStage } from '../people-api';

export function PortraitPage() {
  const { contactId = '' } = useParams();
  const { t } = useTranslation();
  const q = usePortrait(contactId);
  const crumbs = [{ title: t('op.portrait.back'), to: '/outreach/people' }, { title: t('op.portrait.title') }];
  if (q.isPending) return <LoadingState rows={10} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const p = q.data;
  return (
    <>
      <PageHeader title={`${t('op.portrait.title')} · ${p.contact.name}`} breadcrumb={crumbs} />
      <div className="kw-content">
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={12}>
            <Profile p={p} onReload={() => q.refetch()} />
          </Col>
          <Col xs={24} lg={12}>
            <Tags p={p} />
          </Col>
          <Col xs={24} lg={12}>
            <History p={p} />
          </Col>
          <Col xs={24} lg={12}>
            <ConsentsAndTouches p={p} />
          </Col>
        </Row>
      </div>
    </>
  );
}

function Profile({ p, onReload }: { p: Portrait; onReload: () => Promise<unknown> }) {
  const { t } = useTranslation();
  const can = useCan();
  const label = useEnum();
  const options = useEnumOptions();
  const zones = useTimeZoneOptions();
  const { message } = App.useApp();
  const save = useSaveProfile(p.contact.id);
  const [editing, setEditing] = useState(false);
  const [stale, setStale] = useState<string | null>(null);
  const [form] = Form.useForm<{ stage: ToCStage | null; timeZone: string | null; note?: string }>();
  const submit = async (v: { stage?: ToCStage | null; timeZone?: string | null; note?: string }) => {
    setStale(null);
    try {
      await save.mutateAsync({ stage: v.stage ?? null, timeZone: v.timeZone ?? null, note: v.note?.trim() || null, version: p.version });
      message.success(t('op.portrait.saved'));
      setEditing(false);
    } catch (e) {
      if (isStale(e)) setStale(errorMessage(e));
      else message.error(errorMessage(e));
    }
  };
  return (
    <Card
      title={p.contact.name}
      extra={
        can('outreach.consent') && !editing ? (
          <Button size="small" onClick={() => setEditing(true)} data-testid="portrait-edit">
            {t('op.portrait.edit')}
          </Button>
        ) : undefined
      }
    >
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('op.portrait.account')}>
          <Link to={`/accounts/${p.account.id}`}>{p.account.name}</Link>
        </Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.email')}>{p.contact.email ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.phone')}>{p.contact.phone ?? '—'}</Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.stage')}>
          <span data-testid="portrait-stage">{p.stage ? label('toCStage', p.stage) : t('op.portrait.noStage')}</span>
        </Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.accountStage')}>{label('toCStage', p.account.toCStage)}</Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.timeZone')}>
          {p.timeZone ? (zones.find((z) => z.value === p.timeZone)?.label ?? p.timeZone) : t('op.portrait.zoneDefault')}
        </Descriptions.Item>
      </Descriptions>
      {editing && (
        <>
          <StaleNotice
            message={stale}
            onReload={async () => {
              await onReload();
              setStale(null);
            }}
          />
          <Form
            form={form}
            layout="vertical"
            initialValues={{ stage: p.stage, timeZone: p.timeZone }}
            onFinish={(v) => void submit(v)}
            data-testid="portrait-form"
          >
            <Form.Item name="stage" label={t('op.portrait.stage')}>
              <Select allowClear placeholder={t('op.portrait.noStage')} options={options('toCStage', toCStages)} />
            </Form.Item>
            <Form.Item name="timeZone" label={t('op.portrait.timeZone')}>
              <Select allowClear showSearch placeholder={t('op.portrait.zoneDefault')} options={zones} />
            </Form.Item>
            <Form.Item name="note" label={t('op.portrait.note')}>
              <Input maxLength={500} />
            </Form.Item>
            <Flex gap={8}>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('op.portrait.save')}
              </Button>
              <Button onClick={() => setEditing(false)}>{t('common.cancel')}</Button>
            </Flex>
          </Form>
        </>
      )}
    </Card>
  );
}

function Tags({ p }: { p: Portrait }) {
  const { t } = useTranslation();
  const can = useCan();
  const why = useTagWhy();
  const { message } = App.useApp();
  const add = useAddTag(p.contact.id);
  const remove = useRemoveTag(p.contact.id);
  const [form] = Form.useForm<{ tag: string; note?: string }>();
  return (
    <Card title={t('op.portrait.tags')}>
      {p.tags.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('op.portrait.noTags')} />
      ) : (
        <List
          size="small"
          dataSource={p.tags}
          data-testid="portrait-tags"
          renderItem={(x) => (
            <List.Item
              actions={
                can('outreach.consent') && x.source !== 'rule'
                  ? [
                      <Popconfirm
                        key="rm"
                        title={t('op.portrait.removeConfirm', { tag: x.tag })}
                        onConfirm={() =>
                          remove.mutateAsync({ tag: x.tag, source: x.source as 'manual' | 'import' }).catch((e) => message.error(errorMessage(e)))
                        }
                      >
                        <Button size="small" type="link" danger>
                          {t('op.portrait.remove')}
                        </Button>
                      </Popconfirm>,
                    ]
                  : []
              }
            >
              <List.Item.Meta
                title={
                  <>
                    <Tag color={sourceColor[x.source]} style={{ marginInlineEnd: 8 }}>
                      {x.tag}
                    </Tag>
                    <Typography.Text type="secondary">{t(`op.source.${x.source}`)}</Typography.Text>
                  </>
                }
                description={why(x)}
              />
            </List.Item>
          )}
        />
      )}
      {can('outreach.consent') && (
        <Form
          form={form}
          layout="inline"
          style={{ marginTop: 16 }}
          onFinish={async (v) => {
            try {
              await add.mutateAsync({ tag: v.tag.trim(), note: v.note?.trim() || null });
              form.resetFields();
            } catch (e) {
              message.error(errorMessage(e));
            }
          }}
          data-testid="add-tag-form"
        >
          <Form.Item name="tag" rules={[{ required: true, whitespace: true, max: 50 }]}>
            <Input placeholder={t('op.portrait.tagName')} style={{ width: 160 }} />
          </Form.Item>
          <Form.Item name="note">
            <Input placeholder={t('op.portrait.tagNote')} style={{ width: 200 }} maxLength={500} />
          </Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('op.portrait.addTag')}
          </Button>
        </Form>
      )}
    </Card>
  );
}

function History({ p }: { p: Portrait }) {
  const { t } = useTranslation();
  const label = useEnum();
  return (
    <Card title={t('op.portrait.history')}>
      {p.stageHistory.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('op.portrait.noHistory')} />
      ) : (
        <Timeline
          data-testid="stage-history"
          items={p.stageHistory.map((m) => {
            // a rule's move names the rule (its note keeps the name should the rule be deleted)
            const who = m.ruleName ?? m.by ?? m.note ?? '—';
            return {
              content: (
                <>
                  <div>
                    {t('op.portrait.move', {
                      from: m.from ? label('toCStage', m.from) : t('op.portrait.noStage'),
                      to: m.to ? label('toCStage', m.to) : t('op.portrait.noStage'),
                    })}
                  </div>
                  <Typography.Text type="secondary">
                    {formatDateTime(m.at)} · {t('op.portrait.by', { source: t(`op.moveSource.${m.source}`), who })}
                    {m.note && m.note !== who ? ` · ${m.note}` : ''}
                  </Typography.Text>
                </>
              ),
            };
          })}
        />
      )}
    </Card>
  );
}

function ConsentsAndTouches({ p }: { p: Portrait }) {
  const { t } = useTranslation();
  const consent = (c: Portrait['consents']['email']) =>
    c ? `${t(c.granted ? 'op.portrait.granted' : 'op.portrait.withdrawn')} · ${formatDateTime(c.at)}` : t('op.portrait.noConsent');
  return (
    <Card title={t('op.portrait.consents')}>
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('op.portrait.consentEmail')}>{consent(p.consents.email)}</Descriptions.Item>
        <Descriptions.Item label={t('op.portrait.consentPortal')}>{consent(p.consents.portal)}</Descriptions.Item>
      </Descriptions>
      <Typography.Title level={5} style={{ marginTop: 16 }}>
        {t('op.portrait.touches')}
        {p.touches.total > 0 && (
          <Typography.Text type="secondary" style={{ fontWeight: 'normal', marginInlineStart: 8 }}>
            {t('op.portrait.touchesTotal', { count: p.touches.total })}
          </Typography.Text>
        )}
      </Typography.Title>
      {p.touches.items.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('op.portrait.noTouches')} />
      ) : (
        <List
          size="small"
          dataSource={p.touches.items}
          renderItem={(x) => (
            <List.Item>
              {x.campaignName} · {t(`or.channel.${x.channel as 'email' | 'portal'}`)} · {formatDateTime(x.at)}
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
