import { useState } from 'react';
import { App, Form, Input, Modal, Typography } from 'antd';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from 'react-router';
import { useTranslation } from 'react-i18next';
import { api, errorMessage, setCsrfToken } from '../api';
import { ME_KEY } from '../session';

/** Change my password; the server ends all my sessions, so this goes back to the login page. */
export function ChangePasswordModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ currentPassword: string; newPassword: string; confirm: string }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const submit = async () => {
    const v = await form.validateFields();
    setBusy(true);
    setError(null);
    try {
      await api.post('/api/auth/password', { currentPassword: v.currentPassword, newPassword: v.newPassword });
      message.success(t('user.passwordChanged'));
      setCsrfToken(null);
      qc.setQueryData(ME_KEY, null);
      onClose();
      navigate('/login');
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Modal open={open} title={t('user.changePassword')} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} destroyOnHidden okText={t('common.save')} cancelText={t('common.cancel')}>
      <Form form={form} layout="vertical" preserve={false}>
        <Typography.Paragraph type="secondary">{t('user.passwordHint')}</Typography.Paragraph>
        <Form.Item name="currentPassword" label={t('user.currentPassword')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('user.newPassword')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('user.confirmPassword')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_, v) => (!v || v === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('user.passwordMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        {error && <Typography.Text type="danger">{error}</Typography.Text>}
      </Form>
    </Modal>
  );
}

