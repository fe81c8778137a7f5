import { Modal, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { BulkResult } from './api';

/** What a bulk action did: how many rows were done, and each refused row with its reason. */
export function BulkResultModal({ result, nameOf, onClose }: { result?: BulkResult; nameOf: (id: string) => string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <Modal open={!!result} title={t('bk.bulk.resultTitle')} onCancel={onClose} onOk={onClose} cancelButtonProps={{ style: { display: 'none' } }}>
      {result && (
        <div data-testid="bulk-result">
          <Typography.Paragraph>
            {result.refused.length === 0 ? t('bk.bulk.allDone', { count: result.done.length }) : t('bk.bulk.done', { count: result.done.length })}
          </Typography.Paragraph>
          {result.refused.length > 0 && (
            <>
              <Typography.Paragraph type="warning">{t('bk.bulk.refused', { count: result.refused.length })}</Typography.Paragraph>
              <Table
                size="small"
                rowKey="id"
                pagination={false}
                scroll={{ y: 300 }}
                dataSource={result.refused}
                columns={[
                  { title: t('bk.bulk.row'), dataIndex: 'id', width: 160, ellipsis: true, render: (id: string) => nameOf(id) },
                  { title: t('bk.bulk.reason'), dataIndex: 'reason' },
                ]}
              />
            </>
          )}
        </div>
      )}
    </Modal>
  );
}
