import { useState } from 'react';
import { App, Button, Card, Col, Input, List, Popconfirm, Row, Select, Space, Statistic, Switch, Table, Tag, Typography } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../components/states';
import { useCan } from '../../session';
import { errorMessage } from '../../../api/client';
import { formatDate, formatDateTime } from '../../format';
import type { Contact } from '../../accounts/api';
import { useActivity, useInviteKeyPerson, useKeyPersonAccess, useMilestones, usePortalEvents, useWords, type Activity, type Milestone } from '../api';

type KeyPerson = Activity['keyPersons'][number];

/** A key person's portal access: a switch that asks first (turning it off signs them out at once), or just the state. */
function PortalAccess({ k, manage }: { k: KeyPerson; manage: boolean }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const access = useKeyPersonAccess();
  if (!manage) return k.active ? <Tag color="green">{t('identity.keyPerson.on')}</Tag> : <Tag>{t('identity.keyPerson.off')}</Tag>;
  const toggle = () =>
    access.mutateAsync({ id: k.id, active: !k.active }).then(
      () => void message.success(k.active ? t('identity.keyPerson.turnedOff', { name: k.name }) : t('identity.keyPerson.turnedOn')),
      (e) => void message.error(errorMessage(e)),
    );
  return (
    <Popconfirm
      title={k.active ? t('identity.keyPerson.turnOff') : t('identity.keyPerson.turnOn')}
      description={
        <div style={{ maxWidth: 280 }}>
          {k.active ? t('identity.keyPerson.turnOffConfirm', { name: k.name }) : t('identity.keyPerson.turnOnConfirm', { name: k.name })}
        </div>
      }
      okText={t('common.confirm')}
      cancelText={t('common.cancel')}
      okButtonProps={{ danger: k.active, 'data-testid': 'key-person-access-confirm' }}
      onConfirm={toggle}
    >
      <Switch
        size="small"
        checked={k.active}
        loading={access.isPending}
        checkedChildren={t('identity.keyPerson.on')}
        unCheckedChildren={t('identity.keyPerson.off')}
        aria-label={t('identity.keyPerson.portal')}
        data-testid="key-person-access"
      />
    </Popconfirm>
  );
}

/** The account 360's 门户 tab: key persons (and inviting one), what they view, request and discuss, suggestions with reasons, milestones. */
export function PortalTab({ accountId, contacts }: { accountId: string; contacts: Contact[] }) {
  const w = useWords();
  const can = useCan();
  const { message } = App.useApp();
  const q = useActivity(accountId);
  const ms = useMilestones(accountId);
  usePortalEvents(undefined, accountId);
  const [inv, setInv] = useState<{ contactId?: string; email: string }>({ email: '' });
  const invite = useInviteKeyPerson();
  if (q.isPending) return <LoadingState rows={8} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const a = q.data;
  return (
    <div className="kw-card" data-testid="portal-tab">
      <Row gutter={16}>
        <Col xs={24} md={8}>
          <Card size="small" title={w.activity}>
            <Space size="large">
              <Statistic title={w.views} value={a.counts.view} />
              <Statistic title={w.requests} value={a.counts.request} />
              <Statistic title={w.discussions} value={a.counts.discuss} />
            </Space>
          </Card>
          <Card size="small" title={w.keyPersons} style={{ marginTop: 16 }}>
            <List
              dataSource={a.keyPersons}
              locale={{ emptyText: w.none }}
              renderItem={(k) => (
                <List.Item extra={<PortalAccess k={k} manage={can('key_persons.manage')} />}>
                  <List.Item.Meta title={k.name} description={`${k.email} · ${w.lastSeen}: ${k.lastSeen ? formatDate(k.lastSeen) : '—'}`} />
                </List.Item>
              )}
            />
            {can('key_persons.manage') && (
              <Space direction="vertical" style={{ width: '100%', marginTop: 8 }}>
                <Select
                  placeholder={w.contact}
                  value={inv.contactId}
                  onChange={(contactId) => setInv({ contactId, email: contacts.find((c) => c.id === contactId)?.email ?? '' })}
                  options={contacts.filter((c) => !c.hasPortalLogin).map((c) => ({ value: c.id, label: c.name }))}
                  style={{ width: '100%' }}
                />
                <Input placeholder={w.email} value={inv.email} onChange={(e) => setInv({ ...inv, email: e.target.value })} />
                <Button
                  disabled={!inv.contactId || !inv.email}
                  loading={invite.isPending}
                  onClick={() =>
                    invite.mutate(
                      { contactId: inv.contactId!, email: inv.email },
                      { onSuccess: () => void message.success(w.inviteSent), onError: (e) => void message.error(errorMessage(e)) },
                    )
                  }
                >
                  {w.invite}
                </Button>
              </Space>
            )}
          </Card>
        </Col>
        <Col xs={24} md={16}>
          <Card size="small" title={w.suggestions}>
            <List
              data-testid="portal-suggestions"
              dataSource={a.suggestions}
              locale={{ emptyText: w.none }}
              renderItem={(s) => (
                <List.Item>
                  <List.Item.Meta
                    title={
                      <Space>
                        <Tag color={s.kind === 'opportunity' ? 'gold' : 'blue'}>{w.sug[s.kind]}</Tag>
                        {s.label}
                      </Space>
                    }
                    description={s.reason}
                  />
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={w.needs} style={{ marginTop: 16 }} extra={<Link to="/portal-admin">{w.openNeeds}</Link>}>
            <List
              dataSource={a.needs}
              locale={{ emptyText: w.none }}
              renderItem={(d) => (
                <List.Item>
                  <Link to={`/portal-admin?demand=${d.id}`}>{d.title}</Link> <Tag>{w.status[d.status]}</Tag> {d.by}
                </List.Item>
              )}
            />
          </Card>
          <Card size="small" title={w.recent} style={{ marginTop: 16 }}>
            <List
              size="small"
              dataSource={a.recent.slice(0, 15)}
              locale={{ emptyText: w.none }}
              renderItem={(r) => <List.Item>{`${formatDateTime(r.at)} · ${r.by} ${w.sig[r.kind]} ${r.label}`}</List.Item>}
            />
          </Card>
        </Col>
      </Row>
      <Card size="small" title={w.milestones} style={{ marginTop: 16 }}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          loading={ms.isPending}
          dataSource={ms.data ?? []}
          columns={[
            { title: w.project, dataIndex: 'project' },
            { title: w.milestone, dataIndex: 'title' },
            { title: w.due, dataIndex: 'dueOn' },
            {
              title: '',
              dataIndex: 'status',
              render: (s: Milestone['status']) => <Tag>{w.ms[s]}</Tag>,
            },
          ]}
        />
        <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
          {w.milestonesFrom} <Link to={`/accounts/${accountId}?tab=contracts`}>{w.milestonesWhere}</Link>
        </Typography.Paragraph>
      </Card>
    </div>
  );
}
