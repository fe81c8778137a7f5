import { useState } from 'react';
import { Alert, Button, Modal, Radio, Space, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, fileUrl, type FieldError } from '../../../api/client';
import { useImport } from '../api';
import { ImportRowErrors, TemplateButtons } from '../../components/import-parts';

/** CSV/XLSX import of accounts or contacts; all-or-nothing, with every row problem listed. */
export function ImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'accounts' | 'contacts'>('accounts');
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<number | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<FieldError[]>([]);
  const importFile = useImport();
  const busy = importFile.isPending;

  const reset = () => {
    setFile(null);
    setDone(null);
    setError(null);
    setRows([]);
  };
  const close = () => {
    reset();
    onClose();
  };
  const submit = async () => {
    if (!file) return;
    setDone(null);
    setError(null);
    setRows([]);
    try {
      const r = await importFile.mutateAsync({ kind, file });
      setDone(r.imported);
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setRows(e.fields);
    }
  };

  return (
    <Modal
      open={open}
      title={t('accounts.importTitle')}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button key="s" type="primary" disabled={!file} loading={busy} onClick={() => void submit()} data-testid="import-submit">
          {busy ? t('accounts.importing') : t('accounts.import')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Space>
          <Typography.Text>{t('accounts.importWhat')}</Typography.Text>
          <Radio.Group
            value={kind}
            onChange={(e) => {
              setKind(e.target.value);
              reset();
            }}
            optionType="button"
            options={[
              { value: 'accounts', label: t('accounts.importAccounts') },
              { value: 'contacts', label: t('accounts.importContacts') },
            ]}
          />
        </Space>
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('accounts.importHint')}
        </Typography.Paragraph>
        {/* an empty file with the column names in the user's language; the Excel one explains each column */}
        <TemplateButtons
          href={(format) => fileUrl(kind === 'accounts' ? '/api/accounts/import/template' : '/api/contacts/import/template', { query: { format } })}
        />
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            setDone(null);
            setError(null);
            setRows([]);
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />} data-testid="import-file">
            {t('accounts.importPick')}
          </Button>
        </Upload>
        {done !== null && <Alert type="success" showIcon title={t('accounts.importDone', { count: done })} />}
        {error && (
          <Alert type="error" showIcon title={rows.length ? t('accounts.importErrors') : error} description={rows.length ? error : undefined} />
        )}
        <ImportRowErrors rows={rows} />
      </Space>
    </Modal>
  );
}
