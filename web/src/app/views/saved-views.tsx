import { useState } from 'react';
import { App, Button, Checkbox, Flex, Form, Input, Modal, Popconfirm, Select, Tag, Tooltip, Typography } from 'antd';
import { DeleteOutlined, SaveOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../api/client';
import { useCan } from '../session';
import { useDeleteView, useSaveView, useSavedViews, type SavedView, type ViewPage } from './api';

type Query = Record<string, string | string[]>;

/** A list's query string as a saved view keeps it (repeated keys become lists; the page number is not kept). */
export function queryOfParams(sp: URLSearchParams): Query {
  const out: Query = {};
  for (const k of new Set(sp.keys())) {
    if (k === 'page') continue;
    const all = sp.getAll(k);
    out[k] = all.length > 1 ? all : all[0];
  }
  return out;
}

export function paramsOfQuery(q: Query): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) for (const x of Array.isArray(v) ? v : [v]) out.append(k, x);
  return out;
}

/** Pick, save and delete the saved views of a list. */
export function SavedViews({ page, current, onApply }: { page: ViewPage; current: Query; onApply: (q: Query) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const views = useSavedViews(page);
  const save = useSaveView(page);
  const remove = useDeleteView(page);
  const [saving, setSaving] = useState(false);
  const [picked, setPicked] = useState<string>();
  const [form] = Form.useForm<{ name: string; shared?: boolean }>();

  const label = (v: SavedView) => (
    <Flex justify="space-between" align="center" gap={8}>
      <Typography.Text ellipsis>{v.name}</Typography.Text>
      <span>
        {v.shared && <Tag color="blue">{t('bk.views.sharedTag')}</Tag>}
        {v.mine && (
          <Popconfirm
            title={t('bk.views.deleteConfirm', { name: v.name })}
            onConfirm={async (e) => {
              e?.stopPropagation();
              try {
                await remove.mutateAsync(v.id);
                if (picked === v.id) setPicked(undefined);
                message.success(t('bk.views.deleted'));
              } catch (err) {
                message.error(errorMessage(err));
              }
            }}
            onPopupClick={(e) => e.stopPropagation()}
          >
            <Button size="small" type="text" icon={<DeleteOutlined />} onClick={(e) => e.stopPropagation()} data-testid="view-delete" />
          </Popconfirm>
        )}
      </span>
    </Flex>
  );

  return (
    <>
      <Select
        allowClear
        placeholder={t('bk.views.pick')}
        value={picked}
        loading={views.isPending}
        status={views.isError ? 'error' : undefined}
        notFoundContent={views.isError ? t('bk.views.loadFailed') : <Typography.Text type="secondary">{t('bk.views.none')}</Typography.Text>}
        onChange={(id?: string) => {
          setPicked(id);
          const v = views.data?.find((x) => x.id === id);
          if (v) onApply(v.query);
        }}
        options={(views.data ?? []).map((v) => ({ value: v.id, label: label(v), title: v.name }))}
        optionLabelProp="title"
        style={{ width: 200 }}
        popupMatchSelectWidth={280}
        data-testid={`saved-views-${page}`}
      />
      <Tooltip title={t('bk.views.saveTitle')}>
        <Button icon={<SaveOutlined />} onClick={() => setSaving(true)} data-testid="view-save">
          {t('bk.views.save')}
        </Button>
      </Tooltip>
      <Modal
        open={saving}
        title={t('bk.views.saveTitle')}
        okText={t('common.save')}
        confirmLoading={save.isPending}
        onCancel={() => setSaving(false)}
        onOk={() => form.submit()}
        destroyOnHidden
      >
        <Form
          form={form}
          layout="vertical"
          preserve={false}
          onFinish={async (v) => {
            try {
              const created = await save.mutateAsync({ name: v.name.trim(), query: current, shared: !!v.shared });
              setPicked(created.id);
              setSaving(false);
              message.success(t('bk.views.saved', { name: created.name }));
            } catch (err) {
              message.error(errorMessage(err));
            }
          }}
        >
          <Form.Item
            name="name"
            label={t('bk.views.name')}
            rules={[{ required: true, whitespace: true, message: t('bk.views.nameRequired') }, { max: 60 }]}
          >
            <Input placeholder={t('bk.views.namePlaceholder')} maxLength={60} autoFocus />
          </Form.Item>
          {can('views.share') && (
            <Form.Item name="shared" valuePropName="checked" extra={t('bk.views.sharedHint')}>
              <Checkbox>{t('bk.views.shared')}</Checkbox>
            </Form.Item>
          )}
        </Form>
      </Modal>
    </>
  );
}
