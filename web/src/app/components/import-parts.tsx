import { Button, Space, Table } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { FieldError } from '../../api/client';

/** The two template downloads of an import: Excel (with a sheet explaining each column) and CSV, in the user's language. */
export function TemplateButtons({ href }: { href: (format: 'xlsx' | 'csv') => string }) {
  const { t } = useTranslation();
  return (
    <Space wrap>
      {(['xlsx', 'csv'] as const).map((format) => (
        <Button key={format} icon={<DownloadOutlined />} href={href(format)} download data-testid={`import-template-${format}`}>
          {t(format === 'xlsx' ? 'accounts.importTemplateXlsx' : 'accounts.importTemplateCsv')}
        </Button>
      ))}
    </Space>
  );
}

/** Every problem of a refused file: row, column and what is wrong, in the server's words. */
export function ImportRowErrors({ rows, fieldLabel }: { rows: FieldError[]; fieldLabel?: (field: string) => string }) {
  const { t } = useTranslation();
  if (!rows.length) return null;
  return (
    <Table
      size="small"
      rowKey={(r) => `${r.row ?? ''}-${r.field}-${r.message}`}
      dataSource={rows}
      pagination={rows.length > 10 ? { pageSize: 10, size: 'small' } : false}
      columns={[
        { title: t('accounts.row'), dataIndex: 'row', width: 70 },
        { title: t('accounts.field'), dataIndex: 'field', width: 160, render: (f: string) => fieldLabel?.(f) ?? f },
        { title: t('accounts.problem'), dataIndex: 'message' },
      ]}
      data-testid="import-errors"
    />
  );
}
