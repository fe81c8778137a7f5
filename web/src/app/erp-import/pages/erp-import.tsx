import { useState } from 'react';
import { Alert, Button, Flex, Progress, Space, Tabs, Typography, Upload } from 'antd';
import { UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ApiError, errorMessage, type FieldError } from '../../../api/client';
import { ImportRowErrors, TemplateButtons } from '../../components/import-parts';
import { SettingsPage } from '../../settings/pages/settings-page';
import { useCan } from '../../session';
import { Forbidden } from '../../components/states';
import { erpKinds, erpTemplateUrl, useErpImport, type ErpKind } from '../api';

const labelKey = { contracts: 'contracts', 'plan-items': 'planItems', payments: 'payments', 'time-entries': 'timeEntries' } as const;

/** 50,000 → "50,000" (both languages group thousands with commas). */
const count = (n: number) => n.toLocaleString('en-US');

type Phase = { at: 'idle' } | { at: 'uploading'; percent: number } | { at: 'processing' };

/** One kind of ERP file: what it holds, its templates, the upload with its progress, and the answer. */
function ErpImportCard({ kind }: { kind: ErpKind }) {
  const { t } = useTranslation();
  const [file, setFile] = useState<File | null>(null);
  const [phase, setPhase] = useState<Phase>({ at: 'idle' });
  const [result, setResult] = useState<{ rows: number; imported: number; skipped: number; accounts: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [rows, setRows] = useState<FieldError[]>([]);
  const run = useErpImport(kind);
  const clear = () => {
    setResult(null);
    setError(null);
    setRows([]);
  };
  const submit = async () => {
    if (!file) return;
    clear();
    setPhase({ at: 'uploading', percent: 0 });
    try {
      const r = await run.mutateAsync({
        file,
        // the bytes sent; once all are sent the server checks and writes (it says how many when it answers)
        onProgress: (sent, total) => setPhase(sent < total ? { at: 'uploading', percent: Math.floor((100 * sent) / total) } : { at: 'processing' }),
      });
      setResult(r);
      setFile(null);
    } catch (e) {
      setError(errorMessage(e));
      if (e instanceof ApiError) setRows(e.fields);
    } finally {
      setPhase({ at: 'idle' });
    }
  };
  const fieldLabel = (f: string) => (t(`erp.fields.${f}` as 'erp.fields.file', { defaultValue: f }) as string) || f;

  return (
    <Space orientation="vertical" style={{ width: '100%' }} size="middle" data-testid={`erp-import-${kind}`}>
      <Typography.Paragraph style={{ margin: 0 }}>{t(`erp.what.${labelKey[kind]}`)}</Typography.Paragraph>
      <TemplateButtons href={(format) => erpTemplateUrl(kind, format)} />
      <Flex gap="middle" align="center" wrap>
        <Upload
          accept=".csv,.xlsx"
          maxCount={1}
          beforeUpload={(f) => {
            setFile(f);
            clear();
            return false;
          }}
          onRemove={() => setFile(null)}
          fileList={file ? [{ uid: '1', name: file.name, status: 'done' }] : []}
          disabled={phase.at !== 'idle'}
        >
          <Button icon={<UploadOutlined />} data-testid="import-file">
            {t('erp.pick')}
          </Button>
        </Upload>
        <Typography.Text type="secondary">{t('erp.limits')}</Typography.Text>
        <Button type="primary" disabled={!file} loading={phase.at !== 'idle'} onClick={() => void submit()} data-testid="import-submit">
          {t('erp.start')}
        </Button>
      </Flex>
      {phase.at !== 'idle' && (
        <div data-testid="import-progress">
          <Progress percent={phase.at === 'uploading' ? phase.percent : 100} status="active" />
          <Typography.Text type="secondary">{t(phase.at === 'uploading' ? 'erp.uploading' : 'erp.processing')}</Typography.Text>
        </div>
      )}
      {result && (
        <Alert
          type="success"
          showIcon
          title={t('erp.done', { rows: count(result.rows), imported: count(result.imported), skipped: count(result.skipped) })}
          description={result.accounts ? t('erp.regraded', { count: result.accounts }) : undefined}
        />
      )}
      {error && (
        <Alert type="error" showIcon title={rows.length ? t('accounts.importErrors') : error} description={rows.length ? error : undefined} />
      )}
      <ImportRowErrors rows={rows} fieldLabel={fieldLabel} />
    </Space>
  );
}

/** 设置 › ERP 导入: contracts, payment plans, payments and time entries from the ERP's files (leads). */
export function ErpImportPage() {
  const { t } = useTranslation();
  const can = useCan();
  if (!can('commerce.import')) return <Forbidden />;
  return (
    <SettingsPage title={t('erp.title')}>
      <Space orientation="vertical" style={{ width: '100%' }} size="middle">
        <Alert type="info" showIcon title={t('erp.intro')} description={t('erp.order')} />
        <Tabs
          destroyOnHidden={false}
          items={erpKinds.map((kind) => ({ key: kind, label: t(`erp.kinds.${labelKey[kind]}`), children: <ErpImportCard kind={kind} /> }))}
        />
      </Space>
    </SettingsPage>
  );
}
