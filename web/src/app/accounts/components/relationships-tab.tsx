import { useEffect, useState } from 'react';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Drawer,
  Flex,
  Form,
  Input,
  Modal,
  Popconfirm,
  Rate,
  Row,
  Select,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
} from 'antd';
import {
  CheckCircleOutlined,
  DeleteOutlined,
  EditOutlined,
  KeyOutlined,
  NotificationOutlined,
  PlusOutlined,
  StarFilled,
  WarningOutlined,
} from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { errorMessage, isStale } from '../../../api/client';
import { StaleNotice, useBaseVersion } from '../../components/stale-notice';
import { formatDate, fromPicker } from '../../format';
import { contactSides, orgGroups, ourSides } from '../../domain';
import { useCan } from '../../session';
import { useEnum, useEnumOptions } from '../../components/labels';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { EmptyState } from '../../components/states';
import { useUsers } from '../../people/api';
import {
  useAddLink,
  useDeleteContact,
  useDeleteLink,
  useKeyPersonLogin,
  useAccount,
  useSaveContact,
  type Account360,
  type Contact,
  type ContactInput,
  type KeyPersonLoginBody,
  type LinkBody,
  type RelationshipLink,
} from '../api';
import { RelationshipMap } from './relationship-map';
import { ConsentDrawer } from '../../outreach/components/consent-drawer';
import { RelationshipMetrics } from '../../kpi/components/relationship-metrics';

// ---------------------------------------------------------------- contact drawer

function ContactDrawer({ a, contact, open, onClose }: { a: Account360; contact: Contact | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const { message } = App.useApp();
  const [form] = Form.useForm<ContactInput>();
  const m = useSaveContact(a.id, contact?.id);
  // optimistic concurrency: the contact's version when the drawer opened; a 412 offers a reload keeping the input
  const [baseVersion, setBaseVersion] = useBaseVersion(open, contact?.version);
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const latest = useAccount(a.id, false);
  useEffect(() => {
    if (!open) return;
    setStale(null);
    setReloaded(false);
  }, [open]);
  const reload = async () => {
    const r = await latest.refetch();
    const fresh = r.data?.contacts.find((c) => c.id === contact?.id);
    if (fresh) {
      // what the user changed stays; untouched fields show the other person's change
      const keys = Object.keys(form.getFieldsValue()) as (keyof ContactInput)[];
      form.setFieldsValue(Object.fromEntries(keys.filter((k) => !form.isFieldTouched(k)).map((k) => [k, fresh[k as keyof typeof fresh]])));
      setBaseVersion(fresh.version);
      setStale(null);
      setReloaded(true);
    }
  };
  const submit = async () => {
    const v = blankToNull(await form.validateFields());
    try {
      const body = { ...v, name: v.name.trim(), orgGroups: v.orgGroups ?? [], isKeyPerson: !!v.isKeyPerson };
      await m.mutateAsync(contact ? { ...body, version: baseVersion } : body);
      message.success(t('rel.contactSaved'));
      setStale(null);
      setReloaded(false);
      onClose();
    } catch (e) {
      if (isStale(e)) {
        setReloaded(false);
        setStale(e.message);
        return;
      }
      applyServerErrors(form, e);
    }
  };
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={contact ? t('rel.editContact') : t('rel.addContact')}
      size={480}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={m.isPending} onClick={() => void submit()} data-testid="contact-save">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <StaleNotice message={stale} onReload={reload} reloaded={reloaded} />
      <Form form={form} layout="vertical" preserve={false} initialValues={contact ?? { side: 'business_head', orgGroups: [], isKeyPerson: false }}>
        <Form.Item name="name" label={t('rel.contactName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={50} data-testid="contact-name" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="title" label={t('rel.title')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="department" label={t('rel.department')}>
              <Input maxLength={100} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="email" label={t('rel.email')} rules={[{ type: 'email', message: t('rel.email') }]}>
              <Input maxLength={254} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="phone" label={t('rel.phone')}>
              <Input maxLength={40} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="side" label={t('rel.side')} rules={[{ required: true }]}>
          <Select options={options('side', contactSides)} />
        </Form.Item>
        <Form.Item name="orgGroups" label={t('rel.orgGroups')}>
          <Checkbox.Group options={options('orgGroup', orgGroups)} style={{ display: 'grid', gap: 4 }} />
        </Form.Item>
        <Form.Item name="isKeyPerson" valuePropName="checked">
          <Checkbox>{t('rel.isKeyPerson')}</Checkbox>
        </Form.Item>
        <Form.Item name="notes" label={t('rel.notes')}>
          <Input.TextArea rows={3} maxLength={2000} />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Drawer>
  );
}

// ---------------------------------------------------------------- link modal

type LinkForm = Omit<LinkBody, 'lastContactAt' | 'note'> & { lastContactAt?: Dayjs | null; note?: string };

const sideOfRole: Record<string, string> = {
  sales: 'sales',
  delivery: 'delivery',
  after_sales: 'service',
  csm: 'service',
  expert: 'service',
  admin: 'executive',
  manager: 'executive',
};

function LinkModal({ a, open, onClose }: { a: Account360; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const label = useEnum();
  const { message } = App.useApp();
  const [form] = Form.useForm<LinkForm>();
  const users = useUsers(open);
  const m = useAddLink(a.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync({
        userId: v.userId,
        ourSide: v.ourSide,
        contactId: v.contactId,
        strength: v.strength,
        lastContactAt: v.lastContactAt ? fromPicker(v.lastContactAt.startOf('day')) : null,
        note: v.note?.trim() || null,
      });
      message.success(t('rel.linkAdded'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Modal
      open={open}
      title={t('rel.addLink')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={m.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={{ strength: 3 }}>
        <Form.Item name="userId" label={t('rel.ourPerson')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            loading={users.isLoading}
            options={(users.data ?? [])
              .filter((u) => u.active && u.role !== 'channel_implementer')
              .map((u) => ({ value: u.id, label: `${u.name} · ${label('role', u.role)}` }))}
            onChange={(id: string) => {
              const u = users.data?.find((x) => x.id === id);
              if (u && sideOfRole[u.role]) form.setFieldValue('ourSide', sideOfRole[u.role]);
            }}
            data-testid="link-user"
          />
        </Form.Item>
        <Form.Item name="ourSide" label={t('rel.ourSide')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={options('ourSide', ourSides)} />
        </Form.Item>
        <Form.Item name="contactId" label={t('rel.contact')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={a.contacts.map((c) => ({ value: c.id, label: `${c.name} · ${label('side', c.side)}` }))}
            data-testid="link-contact"
          />
        </Form.Item>
        <Form.Item name="strength" label={t('rel.strength')} rules={[{ required: true }]}>
          <Rate count={5} allowClear={false} />
        </Form.Item>
        <Form.Item name="lastContactAt" label={t('rel.lastContactAt')}>
          <DatePicker format="YYYY-MM-DD" />
        </Form.Item>
        <Form.Item name="note" label={t('common.note')}>
          <Input.TextArea rows={2} maxLength={1000} />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- portal login for a key person

function PortalLoginModal({ contact, onClose }: { contact: Contact | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<KeyPersonLoginBody>();
  const m = useKeyPersonLogin(contact?.id);
  const submit = async () => {
    const v = await form.validateFields();
    try {
      await m.mutateAsync({ email: v.email.trim(), password: v.password });
      message.success(t('common.created'));
      onClose();
    } catch (e) {
      applyServerErrors(form, e);
    }
  };
  return (
    <Modal
      open={!!contact}
      title={`${t('rel.portalLogin')} · ${contact?.name ?? ''}`}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={m.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('rel.portalLoginHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical" preserve={false} initialValues={{ email: contact?.email ?? '' }}>
        <Form.Item name="email" label={t('rel.email')} rules={[{ required: true, type: 'email', message: t('common.required') }]}>
          <Input maxLength={254} />
        </Form.Item>
        <Form.Item
          name="password"
          label={t('settings.users.password')}
          extra={t('user.passwordHint').split(/[。.]/)[0]}
          rules={[{ required: true, message: t('common.required') }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

// ---------------------------------------------------------------- the tab

export function RelationshipsTab({ a }: { a: Account360 }) {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const { message } = App.useApp();
  const [contactOpen, setContactOpen] = useState(false);
  const [editing, setEditing] = useState<Contact | null>(null);
  const [linkOpen, setLinkOpen] = useState(false);
  const [portalFor, setPortalFor] = useState<Contact | null>(null);
  const [consentFor, setConsentFor] = useState<Contact | null>(null);
  const delContact = useDeleteContact();
  const delLink = useDeleteLink();
  const remove = (p: Promise<unknown>) =>
    p.then(
      () => message.success(t('common.deleted')),
      (e) => message.error(errorMessage(e)),
    );

  const addContact = can('contacts.write') && (
    <Button
      icon={<PlusOutlined />}
      onClick={() => {
        setEditing(null);
        setContactOpen(true);
      }}
      data-testid="contact-add"
    >
      {t('rel.addContact')}
    </Button>
  );
  const addLink = can('relationships.write') && (
    <Tooltip title={a.contacts.length === 0 ? t('rel.needContactFirst') : undefined}>
      <Button type="primary" icon={<PlusOutlined />} disabled={a.contacts.length === 0} onClick={() => setLinkOpen(true)} data-testid="link-add">
        {t('rel.addLink')}
      </Button>
    </Tooltip>
  );

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col xs={24} xl={16}>
          <Card size="small" title={t('rel.map')} extra={addLink}>
            <Typography.Paragraph type="secondary" style={{ fontSize: 12 }}>
              {t('rel.mapHint')}
            </Typography.Paragraph>
            {a.links.length === 0 && a.contacts.length === 0 ? (
              <EmptyState text={t('rel.emptyMap')} action={addContact} />
            ) : (
              <RelationshipMap contacts={a.contacts} links={a.links} />
            )}
          </Card>
        </Col>
        <Col xs={24} xl={8}>
          <Card size="small" title={t('rel.gaps')}>
            {a.relationshipGaps.length === 0 ? (
              <Typography.Text type="success">
                <CheckCircleOutlined /> {t('rel.noGaps')}
              </Typography.Text>
            ) : (
              <ul style={{ margin: 0, paddingInlineStart: 18, lineHeight: 1.9 }} data-testid="relationship-gaps">
                {a.relationshipGaps.map((g) => (
                  <li key={g}>
                    <WarningOutlined style={{ color: '#faad14', marginInlineEnd: 4 }} />
                    {g}
                  </li>
                ))}
              </ul>
            )}
          </Card>
          <Card size="small" title={t('rel.orgGroups')} style={{ marginTop: 16 }}>
            <Descriptions
              size="small"
              column={1}
              items={orgGroups.map((g) => {
                const members = a.contacts.filter((c) => c.orgGroups.includes(g));
                return {
                  key: g,
                  label: label('orgGroup', g),
                  children: members.length ? members.map((c) => c.name).join('、') : <Typography.Text type="secondary">—</Typography.Text>,
                };
              })}
            />
          </Card>
        </Col>
      </Row>

      <Card size="small" title={t('rel.contacts')} extra={addContact}>
        <Table<Contact>
          rowKey="id"
          size="small"
          dataSource={a.contacts}
          pagination={false}
          scroll={{ x: 960 }}
          locale={{ emptyText: <EmptyState text={t('rel.noContacts')} /> }}
          columns={[
            {
              title: t('rel.contactName'),
              dataIndex: 'name',
              fixed: 'left',
              width: 140,
              render: (v: string, c) => (
                <Space size={4}>
                  {can('outreach.read') ? <Link to={`/outreach/people/${c.id}`}>{v}</Link> : v}
                  {c.isKeyPerson && (
                    <Tooltip title={t('rel.isKeyPerson')}>
                      <StarFilled style={{ color: '#faad14' }} />
                    </Tooltip>
                  )}
                  {c.hasPortalLogin && (
                    <Tooltip title={t('rel.hasPortalLogin')}>
                      <KeyOutlined style={{ color: '#52c41a' }} />
                    </Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('rel.title'), dataIndex: 'title', width: 120, render: (v: string | null) => v ?? '—' },
            { title: t('rel.side'), dataIndex: 'side', width: 110, render: (v: string) => <Tag>{label('side', v)}</Tag> },
            {
              title: t('rel.orgGroups'),
              dataIndex: 'orgGroups',
              render: (v: string[]) =>
                v.length
                  ? v.map((g) => (
                      <Tag color="geekblue" key={g}>
                        {label('orgGroup', g)}
                      </Tag>
                    ))
                  : '—',
            },
            { title: t('rel.email'), dataIndex: 'email', width: 180, ellipsis: true, render: (v: string | null) => v ?? '—' },
            { title: t('rel.phone'), dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 180,
              fixed: 'right',
              render: (_, c) => (
                <Space size={0}>
                  {can('contacts.write') && (
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      onClick={() => {
                        setEditing(c);
                        setContactOpen(true);
                      }}
                      aria-label={t('common.edit')}
                    />
                  )}
                  {can('outreach.read') && (
                    <Tooltip title={t('or.consent.title')}>
                      <Button
                        type="link"
                        size="small"
                        icon={<NotificationOutlined />}
                        onClick={() => setConsentFor(c)}
                        aria-label={t('or.consent.title')}
                        data-testid="contact-consent"
                      />
                    </Tooltip>
                  )}
                  {can('key_persons.manage') && !c.hasPortalLogin && (
                    <Tooltip title={t('rel.portalLogin')}>
                      <Button type="link" size="small" icon={<KeyOutlined />} onClick={() => setPortalFor(c)} aria-label={t('rel.portalLogin')} />
                    </Tooltip>
                  )}
                  {can('contacts.write') && (
                    <Popconfirm
                      title={<div style={{ maxWidth: 300 }}>{t('identity.contact.deleteConfirm')}</div>}
                      okText={t('common.delete')}
                      cancelText={t('common.cancel')}
                      okButtonProps={{ danger: true }}
                      onConfirm={() =>
                        delContact.mutateAsync(c.id).then(
                          (r) => (r.archived ? message.info(t('identity.contact.archived')) : message.success(t('common.deleted'))),
                          (e) => message.error(errorMessage(e)),
                        )
                      }
                    >
                      <Button
                        type="link"
                        size="small"
                        danger
                        icon={<DeleteOutlined />}
                        aria-label={t('common.delete')}
                        data-testid="contact-delete"
                      />
                    </Popconfirm>
                  )}
                </Space>
              ),
            },
          ]}
        />
      </Card>

      <Card size="small" title={t('rel.links')} extra={addLink}>
        <Table<RelationshipLink>
          rowKey="id"
          size="small"
          dataSource={a.links}
          pagination={false}
          scroll={{ x: 760 }}
          locale={{ emptyText: <EmptyState text={t('rel.noLinks')} /> }}
          columns={[
            { title: t('rel.ourPerson'), dataIndex: 'userName', width: 120 },
            { title: t('rel.ourSide'), dataIndex: 'ourSide', width: 90, render: (v: string) => label('ourSide', v) },
            { title: t('rel.contact'), dataIndex: 'contactName', width: 120 },
            { title: t('rel.side'), dataIndex: 'theirSide', width: 110, render: (v: string) => label('side', v) },
            {
              title: t('rel.strength'),
              dataIndex: 'strength',
              width: 150,
              render: (v: number) => <Rate disabled value={v} style={{ fontSize: 14 }} />,
            },
            { title: t('rel.lastContactAt'), dataIndex: 'lastContactAt', width: 110, render: (v: string | null) => formatDate(v) },
            { title: t('common.note'), dataIndex: 'note', ellipsis: true, render: (v: string | null) => v ?? '—' },
            {
              title: t('common.actions'),
              key: 'actions',
              width: 70,
              render: (_, l) =>
                can('relationships.write') && (
                  <Popconfirm title={t('common.deleteConfirm')} onConfirm={() => remove(delLink.mutateAsync(l.id))}>
                    <Button type="link" size="small" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                  </Popconfirm>
                ),
            },
          ]}
        />
      </Card>

      <RelationshipMetrics accountId={a.id} />

      <ContactDrawer key={editing?.id ?? 'new'} a={a} contact={editing} open={contactOpen} onClose={() => setContactOpen(false)} />
      <LinkModal a={a} open={linkOpen} onClose={() => setLinkOpen(false)} />
      <PortalLoginModal contact={portalFor} onClose={() => setPortalFor(null)} />
      <ConsentDrawer contact={consentFor} onClose={() => setConsentFor(null)} />
    </Space>
  );
}
