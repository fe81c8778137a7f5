import { useState } from 'react';
import { Alert, App, Button, Drawer, Flex, Form, Input, Modal, Select, Space, Table, Tag } from 'antd';
import { EditOutlined, TeamOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { teamKinds } from '../../domain';
import { useCan } from '../../session';
import { useEnum, useEnumOptions } from '../../components/labels';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { EmptyState, ErrorState, Forbidden, LoadingState } from '../../components/states';
import { useSaveTeam, useSetTeamMembers, useTeams, useUsers, type NewTeam, type Team } from '../../people/api';
import { SettingsPage } from './settings-page';
import { CreateButton } from '../../components/create-button';

function TeamModal({ team, open, onClose }: { team: Team | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const options = useEnumOptions();
  const { message } = App.useApp();
  const users = useUsers(open);
  const [form] = Form.useForm<NewTeam>();
  const kind = Form.useWatch('kind', form) ?? team?.kind;
  const m = useSaveTeam(team?.id);
  const submit = async () => {
    const v = blankToNull(await form.validateFields());
    m.mutate(
      { ...v, name: v.name.trim(), industry: v.kind === 'industry_center' || kind === 'industry_center' ? v.industry?.trim() : null },
      {
        onSuccess: () => {
          message.success(t('common.saved'));
          onClose();
        },
        onError: (e) => applyServerErrors(form, e),
      },
    );
  };
  return (
    <Modal
      open={open}
      title={team ? t('common.edit') : t('settings.teams.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={m.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={team ?? { kind: 'service_desk' }}>
        <Form.Item name="name" label={t('settings.teams.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="kind" label={t('settings.teams.kind')} rules={[{ required: true }]}>
          <Select disabled={!!team} options={options('teamKind', teamKinds)} />
        </Form.Item>
        {kind === 'industry_center' && (
          <Form.Item
            name="industry"
            label={t('settings.teams.industry')}
            rules={[{ required: true, whitespace: true, message: t('settings.teams.industryRequired') }]}
          >
            <Input maxLength={50} />
          </Form.Item>
        )}
        <Form.Item name="leadId" label={t('settings.teams.lead')}>
          <Select
            allowClear
            showSearch={{ optionFilterProp: 'label' }}
            options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
          />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

function MembersDrawer({ team, onClose }: { team: Team | null; onClose: () => void }) {
  const { t } = useTranslation();
  const label = useEnum();
  const { message } = App.useApp();
  const users = useUsers(!!team);
  const [ids, setIds] = useState<string[] | null>(null);
  const value = ids ?? team?.members?.map((m) => m.id) ?? [];
  const m = useSetTeamMembers(team?.id);
  const save = () =>
    m.mutate(value, {
      onSuccess: () => {
        message.success(t('common.saved'));
        setIds(null);
        onClose();
      },
    });
  return (
    <Drawer
      open={!!team}
      onClose={() => {
        setIds(null);
        onClose();
      }}
      title={`${t('settings.teams.editMembers')} · ${team?.name ?? ''}`}
      size={480}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={m.isPending} onClick={save}>
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <Select
        mode="multiple"
        style={{ width: '100%' }}
        value={value}
        onChange={setIds}
        showSearch={{ optionFilterProp: 'label' }}
        loading={users.isLoading}
        options={(users.data ?? [])
          .filter((u) => u.active || value.includes(u.id))
          .map((u) => ({ value: u.id, label: `${u.name} · ${label('role', u.role)}` }))}
      />
      {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} style={{ marginTop: 12 }} />}
    </Drawer>
  );
}

export function TeamsPage() {
  const { t } = useTranslation();
  const label = useEnum();
  const can = useCan();
  const teams = useTeams();
  const users = useUsers();
  const [editing, setEditing] = useState<Team | null>(null);
  const [open, setOpen] = useState(false);
  const [members, setMembers] = useState<Team | null>(null);
  const manage = can('teams.manage');
  if (!can('users.read')) return <Forbidden />;
  const nameOf = (id: string | null) => (id ? (users.data?.find((u) => u.id === id)?.name ?? '—') : '—');
  return (
    <SettingsPage
      title={t('settings.teams.title')}
      extra={
        manage && (
          <CreateButton
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
          >
            {t('settings.teams.create')}
          </CreateButton>
        )
      }
    >
      {teams.isPending ? (
        <LoadingState />
      ) : teams.isError ? (
        <ErrorState error={teams.error} onRetry={() => void teams.refetch()} />
      ) : (
        <Table<Team>
          rowKey="id"
          dataSource={teams.data}
          pagination={false}
          scroll={{ x: 820 }}
          locale={{ emptyText: <EmptyState text={t('settings.teams.empty')} /> }}
          columns={[
            { title: t('settings.teams.name'), dataIndex: 'name', width: 180 },
            { title: t('settings.teams.kind'), dataIndex: 'kind', width: 160, render: (v: string) => <Tag color="blue">{label('teamKind', v)}</Tag> },
            { title: t('settings.teams.industry'), dataIndex: 'industry', width: 120, render: (v: string | null) => v ?? '—' },
            { title: t('settings.teams.lead'), dataIndex: 'leadId', width: 100, render: (v: string | null) => nameOf(v) },
            {
              title: t('settings.teams.members'),
              dataIndex: 'members',
              render: (v?: Team['members']) => (v?.length ? v.map((m) => <Tag key={m.id}>{m.name}</Tag>) : '—'),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 120,
              render: (_, team) =>
                manage && (
                  <Space size={0}>
                    <Button
                      type="link"
                      size="small"
                      icon={<EditOutlined />}
                      aria-label={t('common.edit')}
                      onClick={() => {
                        setEditing(team);
                        setOpen(true);
                      }}
                    />
                    <Button type="link" size="small" icon={<TeamOutlined />} onClick={() => setMembers(team)}>
                      {t('settings.teams.members')}
                    </Button>
                  </Space>
                ),
            },
          ]}
        />
      )}
      <TeamModal key={editing?.id ?? 'new'} team={editing} open={open} onClose={() => setOpen(false)} />
      <MembersDrawer team={members} onClose={() => setMembers(null)} />
    </SettingsPage>
  );
}
