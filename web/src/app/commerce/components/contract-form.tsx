// A new contract: number, products, amount (and cost for leads), dates, the SLA it buys, its services and documents.
import { App, Button, Checkbox, DatePicker, Drawer, Form, Input, InputNumber, Select, Space } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { toMinor } from '../../format';
import { useCan } from '../../session';
import { applyServerErrors } from '../../components/forms';
import { useCreateContract } from '../api';

type Values = {
  number: string;
  title: string;
  products?: string[];
  amount: number;
  cost?: number | null;
  signedOn: Dayjs;
  term: [Dayjs, Dayjs];
  maintenanceEndsOn?: Dayjs | null;
  slaTier?: string | null;
  services?: { name: string; customisation?: boolean }[];
  documents?: { title: string; url: string }[];
};

const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

export function ContractFormDrawer({ accountId, open, onClose }: { accountId: string; open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const [form] = Form.useForm<Values>();
  const create = useCreateContract(accountId);
  const required = [{ required: true, message: t('cm.validation.required') }];

  const submit = async (v: Values) => {
    try {
      const c = await create.mutateAsync({
        number: v.number,
        title: v.title,
        products: v.products ?? [],
        amountMinor: toMinor(v.amount),
        costMinor: can('contracts.cost') && v.cost !== undefined && v.cost !== null ? toMinor(v.cost) : undefined,
        signedOn: day(v.signedOn)!,
        startsOn: day(v.term[0])!,
        endsOn: day(v.term[1])!,
        maintenanceEndsOn: day(v.maintenanceEndsOn),
        slaTier: (v.slaTier as 'A' | null) ?? null,
        services: (v.services ?? []).filter((s) => s?.name).map((s) => ({ name: s.name, customisation: !!s.customisation })),
        documents: (v.documents ?? []).filter((d) => d?.title && d.url),
      });
      void message.success(t('cm.contract.created', { number: c.number }));
      if (c.renewalOpportunityId) void message.info(t('cm.contract.renewalRaised'));
      form.resetFields();
      onClose();
    } catch (e) {
      const msg = applyServerErrors(form, e, { startsOn: 'term', endsOn: 'term', amountMinor: 'amount', costMinor: 'cost' });
      if (msg) void message.error(msg);
    }
  };

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size={560}
      title={t('cm.contract.add')}
      destroyOnHidden
      extra={
        <Button type="primary" loading={create.isPending} onClick={() => form.submit()} data-testid="contract-save">
          {t('common.save')}
        </Button>
      }
    >
      <Form form={form} layout="vertical" onFinish={submit} requiredMark="optional">
        <Form.Item name="number" label={t('cm.contract.number')} rules={required}>
          <Input maxLength={50} data-testid="contract-number" />
        </Form.Item>
        <Form.Item name="title" label={t('cm.contract.title')} rules={required}>
          <Input maxLength={200} data-testid="contract-title" />
        </Form.Item>
        <Form.Item name="products" label={t('cm.contract.products')}>
          <Select mode="tags" />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item name="amount" label={t('cm.contract.amount')} rules={required}>
            <InputNumber min={0} precision={2} style={{ width: 200 }} data-testid="contract-amount" />
          </Form.Item>
          {can('contracts.cost') && (
            <Form.Item name="cost" label={t('cm.contract.cost')} tooltip={t('cm.contract.costHint')}>
              <InputNumber min={0} precision={2} style={{ width: 200 }} />
            </Form.Item>
          )}
        </Space>
        <Form.Item name="signedOn" label={t('cm.contract.signedOn')} rules={required}>
          <DatePicker data-testid="contract-signed" />
        </Form.Item>
        <Form.Item name="term" label={t('cm.contract.term')} rules={required}>
          <DatePicker.RangePicker data-testid="contract-term" />
        </Form.Item>
        <Space size={16} wrap>
          <Form.Item name="maintenanceEndsOn" label={t('cm.contract.maintenanceEndsOn')}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="slaTier" label={t('cm.contract.slaTier')}>
            <Select
              allowClear
              style={{ width: 200 }}
              placeholder={t('cm.contract.slaTierAuto')}
              options={['A', 'B', 'C', 'D', 'E'].map((x) => ({ value: x, label: t(`enum.tier.${x}` as 'enum.tier.A') }))}
            />
          </Form.Item>
        </Space>
        <Form.List name="services">
          {(fields, { add, remove }) => (
            <Form.Item label={t('cm.contract.services')}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'name']} rules={required}>
                    <Input placeholder={t('cm.contract.serviceName')} maxLength={100} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'customisation']} valuePropName="checked">
                    <Checkbox>{t('cm.contract.customisation')}</Checkbox>
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ customisation: false })}>
                {t('cm.contract.addService')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
        <Form.List name="documents">
          {(fields, { add, remove }) => (
            <Form.Item label={t('cm.contract.documents')}>
              {fields.map((f) => (
                <Space key={f.key} align="baseline">
                  <Form.Item name={[f.name, 'title']} rules={required}>
                    <Input placeholder={t('cm.contract.docTitle')} maxLength={200} />
                  </Form.Item>
                  <Form.Item name={[f.name, 'url']} rules={[...required, { type: 'url' }]}>
                    <Input placeholder="https://" />
                  </Form.Item>
                  <MinusCircleOutlined onClick={() => remove(f.name)} />
                </Space>
              ))}
              <Button type="dashed" icon={<PlusOutlined />} onClick={() => add()}>
                {t('cm.contract.addDocument')}
              </Button>
            </Form.Item>
          )}
        </Form.List>
      </Form>
    </Drawer>
  );
}
