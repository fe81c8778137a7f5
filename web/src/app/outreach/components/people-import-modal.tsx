// Tags (and stages) from a CSV/XLSX, all rows or none, with every bad row listed (issue 18 point 1).
import { UploadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type FieldError } from '../../../api/client';
import { ImportRowErrors, TemplateButtons } from '../../components/import-parts';
import { peopleTemplateUrl, useImportPeople } from '../people-api';

const fields = ['contactId', 'email', 'tags', 'stage'] as const;

export function PeopleImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<{ people: number; tags: number; stagesMoved: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<FieldError[]>([]);
  const importFile = useImportPeople();
  const reset = () => {
    setDone(null);
    setError(null);
    setRows([]);
  };
  const close = () => {
    reset();
    setFile(null);
    onClose();
  };
  const submit = async () => {
    if (!file) return;
    reset();
    try {
      setDone(await importFile.mutateAsync(file));
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setRows(e.fields);
    }
  };
  const fieldLabel = (f: string) => ((fields as readonly string[]).includes(f) ? t(`op.field.${f as (typeof fields)[number]}`) : f);
  return (
    <Modal
      open={open}
      title={t('op.import.title')}
      onCancel={close}
      width={720}
      destroyOnHidden
      footer={[
        <Button key="c" onClick={close}>
          {t('common.close')}
        </Button>,
        <Button
          key="s"
          type="primary"
          disabled={!file}
          loading={importFile.isPending}
          onClick={() => void submit()}
          data-testid="people-import-submit"
        >
          {t('op.import.submit')}
        </Button>,
      ]}
    >
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Typography.Paragraph type="secondary" style={{ margin: 0 }}>
          {t('op.import.hint')}
        </Typography.Paragraph>
        <TemplateButtons href={peopleTemplateUrl} />
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            reset();
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
        >
          <Button icon={<UploadOutlined />} data-testid="people-import-file">
            {t('op.import.pick')}
          </Button>
        </Upload>
        {done && <Alert type="success" showIcon title={t('op.import.done', done)} />}
        {error && <Alert type="error" showIcon title={rows.length ? t('op.import.errors') : error} description={rows.length ? error : undefined} />}
        <ImportRowErrors rows={rows} fieldLabel={fieldLabel} />
      </Space>
    </Modal>
  );
}
