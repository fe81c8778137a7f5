import type { ReactNode } from 'react';
import { formatIn } from '../../format';
import { Badge, Button, Card, Col, Flex, List, Row, Space, Statistic, Tag, Tooltip, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, MinusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import dayjs from 'dayjs';
import { PageHeader } from '../../components/page-header';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { StageTag, TierTag } from '../../components/labels';
import { KindTag } from '../../meetings/components/labels';
import { PriorityTag, StatusTag } from '../../service-desk/components/labels';
import { useCan, useMe } from '../../session';
import { formatDate } from '../../format';
import {
  useWorkbench,
  type AtRiskAccount,
  type FollowUp,
  type QueueTicket,
  type SlaState,
  type TodayMeeting,
  type Words,
  type WorkbenchActionItem,
} from '../api';

const slaColor: Record<SlaState, string> = { breached: 'red', warning: 'orange', paused: 'gold', on_track: 'green', none: 'default' };
const bandTag: Record<string, 'success' | 'warning' | 'error'> = { green: 'success', amber: 'warning', red: 'error' };
const trendIcon: Record<string, ReactNode> = { up: <ArrowUpOutlined />, down: <ArrowDownOutlined />, flat: <MinusOutlined /> };

function useWords() {
  const { i18n } = useTranslation();
  return (w: Words) => (i18n.language === 'en' ? w.en : w['zh-CN']);
}

/** A card of the workbench: title with a hint, "view all" on the right, a list or an empty state with a next step. */
function Section(props: {
  title: string;
  hint: string;
  to: string;
  testId: string;
  total: number;
  shown: number;
  empty: ReactNode;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Card
      data-testid={props.testId}
      title={
        <Flex vertical gap={0} style={{ padding: '8px 0' }}>
          <span>
            {props.title}{' '}
            <Badge
              count={props.total}
              overflowCount={999}
              showZero
              color={props.total ? '#1677ff' : '#d9d9d9'}
              data-testid={`${props.testId}-total`}
            />
          </span>
          <Typography.Text type="secondary" style={{ fontSize: 12, fontWeight: 'normal', whiteSpace: 'normal' }}>
            {props.hint}
          </Typography.Text>
        </Flex>
      }
      extra={<Link to={props.to}>{t('wb.viewAll')}</Link>}
      styles={{ body: { paddingTop: 4 } }}
      style={{ height: '100%' }}
    >
      {props.shown === 0 ? props.empty : props.children}
      {props.total > props.shown && (
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {t('wb.more', { count: props.total, shown: props.shown })}
        </Typography.Text>
      )}
    </Card>
  );
}

function QueueItem({ x }: { x: QueueTicket }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="wb-queue-item" data-sla={x.slaState}>
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <PriorityTag priority={x.priority} />
            <Link to={`/service-desk/tickets/${x.id}`} data-testid="wb-ticket-link">
              #{x.number} {x.title}
            </Link>
            {x.major && <Tag color="red">{t('sd.fields.major')}</Tag>}
            {x.escalatedToMe && (
              <Tag color="volcano" data-testid="wb-escalated">
                {t('wb.queue.escalatedToMe')}
              </Tag>
            )}
          </Space>
        }
        description={
          <Space size={4} wrap>
            <Link to={`/accounts/${x.accountId}`}>{x.accountName}</Link>
            <span>·</span>
            <StatusTag status={x.status} />
            {x.ownerName ? <span>{x.ownerName}</span> : <Tag>{t('wb.queue.unassigned')}</Tag>}
            {x.teamName && <Typography.Text type="secondary">{t('wb.queue.team', { name: x.teamName })}</Typography.Text>}
          </Space>
        }
      />
      <Flex vertical align="end" gap={2}>
        <Tag color={slaColor[x.slaState]} data-testid="wb-sla" style={{ marginInlineEnd: 0 }}>
          {t(`wb.sla.${x.slaState}`)}
        </Tag>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {x.nextDueAt ? t('wb.queue.due', { at: formatIn(x.nextDueAt, 'MM-DD HH:mm') }) : t('wb.queue.noDue')}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}

function ActionItemRow({ x }: { x: WorkbenchActionItem }) {
  const { t } = useTranslation();
  return (
    <List.Item data-testid="wb-action-item" data-overdue={x.overdue ? 'true' : 'false'}>
      <List.Item.Meta
        title={
          <Link to={`/meetings/${x.meetingId}`} data-testid="wb-action-link">
            {x.title}
          </Link>
        }
        description={
          <Space size={4} wrap>
            <Link to={`/accounts/${x.accountId}`}>{x.accountName}</Link>
            <span>·</span>
            <Typography.Text type="secondary" ellipsis style={{ maxWidth: 260 }}>
              {t('wb.actions.fromMeeting', { title: x.meetingTitle })}
            </Typography.Text>
          </Space>
        }
      />
      <Flex vertical align="end" gap={2}>
        {x.overdue ? <Tag color="red">{t('wb.actions.overdue')}</Tag> : null}
        {x.escalatedAt ? <Tag color="volcano">{t('wb.actions.escalated')}</Tag> : null}
        <Typography.Text type={x.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {x.dueOn ? t('wb.actions.due', { date: x.dueOn }) : t('wb.actions.noDue')}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}

function AtRiskRow({ x }: { x: AtRiskAccount }) {
  const { t } = useTranslation();
  const words = useWords();
  const reasons = x.health?.reasons ?? [];
  return (
    <List.Item data-testid="wb-risk-item">
      <List.Item.Meta
        title={
          <Space size={4} wrap>
            <Link to={`/accounts/${x.id}`} data-testid="wb-risk-link">
              {x.name}
            </Link>
            <TierTag tier={x.tier} />
            <StageTag stage={x.stage} />
          </Space>
        }
        description={
          <Flex vertical gap={2}>
            <Space size={4} wrap>
              {x.seats.map((s) => (
                <Tag key={s} bordered={false}>
                  {t(`wb.atRisk.seat.${s}`)}
                </Tag>
              ))}
              {x.overdueFollowUps > 0 && <Tag color="red">{t('wb.atRisk.overdueFollowUps', { count: x.overdueFollowUps })}</Tag>}
            </Space>
            {reasons.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="wb-risk-reasons">
                {reasons.slice(0, 2).map(words).join('；')}
              </Typography.Text>
            )}
          </Flex>
        }
      />
      {x.health && (
        <Tooltip title={reasons.map(words).join('\n') || undefined}>
          <Tag color={bandTag[x.health.band]} data-testid="wb-health-band" style={{ marginInlineEnd: 0 }}>
            {t(`kp.band.${x.health.band}` as 'kp.band.green')} · {x.health.score} {trendIcon[x.health.trend]}
          </Tag>
        </Tooltip>
      )}
    </List.Item>
  );
}

function FollowUpRow({ x }: { x: FollowUp }) {
  const { t } = useTranslation();
  const words = useWords();
  return (
    <List.Item data-testid="wb-followup-item">
      <List.Item.Meta
        title={<Link to={`/accounts/${x.accountId}`}>{x.accountName}</Link>}
        description={
          <Flex vertical gap={2}>
            <span>{t(`wb.followUps.reason.${x.reason}` as 'wb.title', { defaultValue: x.reason })}</span>
            {x.detail && x.detail.length > 0 && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {x.detail.slice(0, 2).map(words).join('；')}
              </Typography.Text>
            )}
          </Flex>
        }
      />
      <Flex vertical align="end" gap={2}>
        {x.overdue && <Tag color="red">{t('wb.followUps.overdue')}</Tag>}
        <Typography.Text type={x.overdue ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
          {t('wb.followUps.due', { date: formatDate(x.dueAt) })}
        </Typography.Text>
      </Flex>
    </List.Item>
  );
}

function MeetingRow({ x }: { x: TodayMeeting }) {
  const { t } = useTranslation();
  const past = dayjs(x.endsAt).isBefore(dayjs());
  return (
    <List.Item data-testid="wb-meeting-item">
      <List.Item.Meta
        avatar={
          <Typography.Text strong type={past ? 'secondary' : undefined} style={{ display: 'inline-block', width: 88 }}>
            {formatIn(x.startsAt, 'HH:mm')}–{formatIn(x.endsAt, 'HH:mm')}
          </Typography.Text>
        }
        title={
          <Space size={4} wrap>
            <Link to={`/meetings/${x.id}`} data-testid="wb-meeting-link">
              {x.title}
            </Link>
            <KindTag kind={x.kind} />
          </Space>
        }
        description={
          <Space size={4} wrap>
            <Link to={`/accounts/${x.accountId}`}>{x.accountName}</Link>
            {x.location && <span>· {x.location}</span>}
            <span>· {t('wb.meetings.organizer', { name: x.organizerName })}</span>
          </Space>
        }
      />
    </List.Item>
  );
}

function Stat({ title, value, to, testId, danger }: { title: string; value: number; to: string; testId: string; danger?: boolean }) {
  return (
    <Link to={to} data-testid={testId}>
      <Card hoverable size="small">
        <Statistic title={title} value={value} valueStyle={danger && value > 0 ? { color: '#cf1322' } : undefined} />
      </Card>
    </Link>
  );
}

/** 工作台: the signed-in staff member's queue, action items, accounts at risk, follow-ups and today's meetings. */
export function WorkbenchPage() {
  const { t } = useTranslation();
  const me = useMe();
  const can = useCan();
  const wb = useWorkbench();
  const d = wb.data;

  return (
    <>
      <PageHeader
        title={t('wb.title')}
        breadcrumb={[{ title: t('wb.title') }]}
        sub={
          <Typography.Text type="secondary">
            {me.data ? `${t('wb.greeting', { name: me.data.name })} · ` : ''}
            {t('wb.subtitle')}
          </Typography.Text>
        }
        extra={
          <Button icon={<ReloadOutlined />} loading={wb.isFetching} onClick={() => void wb.refetch()} data-testid="wb-refresh">
            {t('wb.refresh')}
          </Button>
        }
      />
      <div className="kw-content" data-testid="workbench">
        {wb.isError ? (
          <div className="kw-card">
            <ErrorState error={wb.error} onRetry={() => void wb.refetch()} />
          </div>
        ) : !d ? (
          <div className="kw-card">
            <LoadingState rows={10} />
          </div>
        ) : (
          <Flex vertical gap={16}>
            <Row gutter={[16, 16]}>
              <Col xs={12} md={6}>
                <Stat title={t('wb.stats.queue')} value={d.queue.total} to="/service-desk?queue=mine" testId="wb-stat-queue" />
              </Col>
              <Col xs={12} md={6}>
                <Stat
                  title={t('wb.stats.overdueActions')}
                  value={d.actionItems.overdue}
                  to="/meetings?view=actions"
                  testId="wb-stat-overdue"
                  danger
                />
              </Col>
              <Col xs={12} md={6}>
                <Stat title={t('wb.stats.atRisk')} value={d.atRisk.total} to="/accounts?risk=at_risk" testId="wb-stat-risk" danger />
              </Col>
              <Col xs={12} md={6}>
                <Stat title={t('wb.stats.meetingsToday')} value={d.meetingsToday.total} to="/meetings" testId="wb-stat-meetings" />
              </Col>
            </Row>
            <Row gutter={[16, 16]}>
              <Col xs={24} xl={14}>
                <Section
                  title={t('wb.queue.title')}
                  hint={t('wb.queue.hint')}
                  to="/service-desk?queue=mine"
                  testId="wb-queue"
                  total={d.queue.total}
                  shown={d.queue.items.length}
                  empty={<EmptyState text={t('wb.queue.empty')} action={<Link to="/service-desk">{t('wb.queue.goDesk')}</Link>} />}
                >
                  <List size="small" dataSource={d.queue.items} rowKey="id" renderItem={(x) => <QueueItem x={x} />} />
                </Section>
              </Col>
              <Col xs={24} xl={10}>
                <Section
                  title={t('wb.meetings.title')}
                  hint={t('wb.meetings.hint', { date: d.meetingsToday.date, tz: d.meetingsToday.timezone })}
                  to="/meetings"
                  testId="wb-meetings"
                  total={d.meetingsToday.total}
                  shown={d.meetingsToday.items.length}
                  empty={<EmptyState text={t('wb.meetings.empty')} action={<Link to="/meetings">{t('wb.meetings.goMeetings')}</Link>} />}
                >
                  <List size="small" dataSource={d.meetingsToday.items} rowKey="id" renderItem={(x) => <MeetingRow x={x} />} />
                </Section>
              </Col>
              <Col xs={24} xl={12}>
                <Section
                  title={t('wb.actions.title')}
                  hint={t('wb.actions.hint')}
                  to="/meetings?view=actions"
                  testId="wb-actions"
                  total={d.actionItems.total}
                  shown={d.actionItems.items.length}
                  empty={<EmptyState text={t('wb.actions.empty')} action={<Link to="/meetings">{t('wb.actions.goMeetings')}</Link>} />}
                >
                  <List size="small" dataSource={d.actionItems.items} rowKey="id" renderItem={(x) => <ActionItemRow x={x} />} />
                </Section>
              </Col>
              <Col xs={24} xl={12}>
                <Section
                  title={t('wb.atRisk.title')}
                  hint={can('kpi.read') ? t('wb.atRisk.hint') : t('wb.atRisk.hintNoHealth')}
                  to="/accounts?risk=at_risk"
                  testId="wb-risk"
                  total={d.atRisk.total}
                  shown={d.atRisk.items.length}
                  empty={<EmptyState text={t('wb.atRisk.empty')} action={<Link to="/accounts">{t('wb.atRisk.goAccounts')}</Link>} />}
                >
                  <List size="small" dataSource={d.atRisk.items} rowKey="id" renderItem={(x) => <AtRiskRow x={x} />} />
                </Section>
              </Col>
              <Col xs={24}>
                <Section
                  title={t('wb.followUps.title')}
                  hint={t('wb.followUps.hint', { days: d.followUps.dueDays })}
                  to="/accounts"
                  testId="wb-followups"
                  total={d.followUps.total}
                  shown={d.followUps.items.length}
                  empty={<EmptyState text={t('wb.followUps.empty')} />}
                >
                  <List size="small" dataSource={d.followUps.items} rowKey="id" renderItem={(x) => <FollowUpRow x={x} />} />
                </Section>
              </Col>
            </Row>
          </Flex>
        )}
      </div>
    </>
  );
}
