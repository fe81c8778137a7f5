import { useState } from 'react';
import { Alert, App, Button, Form, Input, Modal, Switch, Table, Tag } from 'antd';
import { EditOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { useCan } from '../../session';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { EmptyState, ErrorState, LoadingState } from '../../components/states';
import { usePartners, useSavePartner, type ChannelPartner, type PartnerInput } from '../../people/api';
import { SettingsPage } from './settings-page';
import { CreateButton } from '../../components/create-button';

function PartnerModal({ partner, open, onClose }: { partner: ChannelPartner | null; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<PartnerInput>();
  const m = useSavePartner(partner?.id);
  const submit = async () => {
    const v = blankToNull(await form.validateFields());
    m.mutate(
      { ...v, name: v.name.trim() },
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
      title={partner ? t('common.edit') : t('settings.partners.create')}
      onCancel={onClose}
      onOk={() => void submit()}
      confirmLoading={m.isPending}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" preserve={false} initialValues={partner ?? { active: true }}>
        <Form.Item name="name" label={t('settings.partners.name')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="region" label={t('settings.partners.region')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="contactName" label={t('settings.partners.contactName')}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="contactPhone" label={t('settings.partners.contactPhone')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="active" label={t('settings.partners.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
        {m.isError && <Alert type="error" showIcon title={errorMessage(m.error)} />}
      </Form>
    </Modal>
  );
}

export function PartnersPage() {
  const { t } = useTranslation();
  const can = useCan();
  const partners = usePartners();
  const [editing, setEditing] = useState<ChannelPartner | null>(null);
  const [open, setOpen] = useState(false);
  const manage = can('partners.manage');
  return (
    <SettingsPage
      title={t('settings.partners.title')}
      extra={
        manage && (
          <CreateButton
            onClick={() => {
              setEditing(null);
              setOpen(true);
            }}
          >
            {t('settings.partners.create')}
          </CreateButton>
        )
      }
    >
      {partners.isPending ? (
        <LoadingState />
      ) : partners.isError ? (
        <ErrorState error={partners.error} onRetry={() => void partners.refetch()} />
      ) : (
        <Table<ChannelPartner>
          rowKey="id"
          dataSource={partners.data}
          pagination={false}
          scroll={{ x: 640 }}
          locale={{ emptyText: <EmptyState text={t('settings.partners.empty')} /> }}
          columns={[
            { title: t('settings.partners.name'), dataIndex: 'name' },
            { title: t('settings.partners.region'), dataIndex: 'region', render: (v: string | null) => v ?? '—' },
            { title: t('settings.partners.contactName'), dataIndex: 'contactName', render: (v: string | null) => v ?? '—' },
            { title: t('settings.partners.contactPhone'), dataIndex: 'contactPhone', render: (v: string | null) => v ?? '—' },
            {
              title: t('common.status'),
              dataIndex: 'active',
              width: 100,
              render: (v: boolean) => (v ? <Tag color="green">{t('settings.partners.active')}</Tag> : <Tag>{t('common.inactive')}</Tag>),
            },
            {
              title: t('common.actions'),
              key: 'a',
              width: 80,
              render: (_, p) =>
                manage && (
                  <Button
                    type="link"
                    size="small"
                    icon={<EditOutlined />}
                    aria-label={t('common.edit')}
                    onClick={() => {
                      setEditing(p);
                      setOpen(true);
                    }}
                  />
                ),
            },
          ]}
        />
      )}
      <PartnerModal key={editing?.id ?? 'new'} partner={editing} open={open} onClose={() => setOpen(false)} />
    </SettingsPage>
  );
}
