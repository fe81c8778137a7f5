import { useEffect, useRef, useState } from 'react';
import { Alert, App, Button, Col, Divider, Drawer, Flex, Form, Input, InputNumber, Rate, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { fromMinor, toMinor } from '../../format';
import { applyServerErrors, blankToNull } from '../../components/forms';
import { usePartners, useUsers } from '../../people/api';
import { isStale } from '../../../api/client';
import { StaleNotice, useBaseVersion } from '../../components/stale-notice';
import { useAccount, useSaveAccount, useTags, type Account360, type AccountInput } from '../api';

type FormValues = {
  name: string;
  industry: string;
  region: string;
  ownerId?: string | null;
  channelPartnerId?: string | null;
  revenueTarget?: number | null;
  fiscalYear?: number | null;
  tags?: string[];
  products?: string[];
  onTimePaymentPct?: number | null;
  orderAmount?: number | null;
  prospect?: number | null;
  profitMarginPct?: number | null;
  factorReason?: string | null;
};

function formValuesOf(account: Account360): FormValues {
  return {
    name: account.name,
    industry: account.industry,
    region: account.region,
    ownerId: account.ownerId,
    channelPartnerId: account.channelPartnerId,
    revenueTarget: fromMinor(account.revenueTargetMinor),
    fiscalYear: account.fiscalYear,
    tags: account.tags,
    products: account.products,
    onTimePaymentPct: account.onTimePaymentPct,
    orderAmount: fromMinor(account.orderAmountMinor),
    prospect: account.prospect,
    profitMarginPct: account.profitMarginPct,
  };
}

/** New account, or edit an existing one's details (drawer: a quick edit, per UX.md). */
export function AccountFormDrawer({
  open,
  onClose,
  account,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  account?: Account360;
  onCreated?: (id: string) => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();
  const { message } = App.useApp();
  const users = useUsers(open);
  const partners = usePartners();
  const tags = useTags();
  const save = useSaveAccount(account?.id);
  const busy = save.isPending;
  const [error, setError] = useState<string | null>(null);
  // optimistic concurrency: the version the form was opened on; a 412 offers a reload that keeps the input
  const [baseVersion, setBaseVersion] = useBaseVersion(open, account?.version);
  const [stale, setStale] = useState<string | null>(null);
  const [reloaded, setReloaded] = useState(false);
  const latest = useAccount(account?.id ?? '', false);
  const reload = async () => {
    const r = await latest.refetch();
    if (r.data) {
      // what the user changed stays; every field they did not touch shows the other person's change
      const fresh = formValuesOf(r.data);
      const untouched = (Object.keys(fresh) as (keyof FormValues)[]).filter((k) => !form.isFieldTouched(k));
      form.setFieldsValue(Object.fromEntries(untouched.map((k) => [k, fresh[k]])) as Partial<FormValues>);
      setBaseVersion(r.data.version);
      setStale(null);
      setReloaded(true);
    }
  };
  // fill the form once per opening (a background refetch of the account must not wipe what is being typed)
  const filledFor = useRef<string | null>(null);

  useEffect(() => {
    if (!open) {
      filledFor.current = null;
      return;
    }
    const key = account?.id ?? 'new';
    if (filledFor.current === key) return;
    filledFor.current = key;
    setError(null);
    setStale(null);
    setReloaded(false);
    form.resetFields();
    if (account) {
      form.setFieldsValue(formValuesOf(account));
    } else {
      form.setFieldsValue({ fiscalYear: new Date().getFullYear() });
    }
  }, [open, account, form]);

  const submit = async () => {
    const v = blankToNull(await form.validateFields());
    const body: AccountInput = {
      name: v.name.trim(),
      industry: v.industry.trim(),
      region: v.region.trim(),
      ownerId: v.ownerId ?? null,
      channelPartnerId: v.channelPartnerId ?? null,
      revenueTargetMinor: toMinor(v.revenueTarget),
      fiscalYear: v.fiscalYear ?? undefined,
      tags: v.tags ?? [],
      products: v.products ?? [],
      onTimePaymentPct: v.onTimePaymentPct ?? null,
      orderAmountMinor: toMinor(v.orderAmount),
      prospect: v.prospect || null,
      profitMarginPct: v.profitMarginPct ?? null,
    };
    setError(null);
    try {
      // editing: a grading factor the user did not touch is not sent (the record may have recomputed it meanwhile
      // from contracts and payments); one changed by hand carries its reason
      if (account) {
        if (!form.isFieldTouched('onTimePaymentPct')) delete body.onTimePaymentPct;
        if (!form.isFieldTouched('orderAmount')) delete body.orderAmountMinor;
        if (!form.isFieldTouched('profitMarginPct')) delete body.profitMarginPct;
      }
      const withReason = account && v.factorReason ? ({ ...body, factorReason: v.factorReason } as AccountInput) : body;
      const saved = await save.mutateAsync(account ? { ...withReason, version: baseVersion } : withReason);
      if (account) {
        message.success(t('common.saved'));
      } else {
        message.success(t('accounts.createdOk'));
        onCreated?.(saved.id);
      }
      onClose();
    } catch (e) {
      if (isStale(e)) {
        setReloaded(false);
        setStale(e.message);
        return;
      }
      setError(applyServerErrors(form, e, { revenueTargetMinor: 'revenueTarget', orderAmountMinor: 'orderAmount' }));
    }
  };

  const req = [{ required: true, whitespace: true, message: t('common.required') }];
  return (
    <Drawer
      open={open}
      onClose={onClose}
      title={account ? t('a360.editDetails') : t('accounts.new')}
      size={560}
      destroyOnHidden
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="account-form-submit">
            {t('common.save')}
          </Button>
        </Flex>
      }
    >
      <StaleNotice message={stale} onReload={reload} reloaded={reloaded} />
      <Form form={form} layout="vertical" data-testid="account-form">
        <Form.Item name="name" label={t('accounts.name')} rules={req}>
          <Input maxLength={100} data-testid="account-form-name" />
        </Form.Item>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="industry" label={t('accounts.industry')} rules={req}>
              <Input maxLength={50} data-testid="account-form-industry" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="region" label={t('accounts.region')} rules={req}>
              <Input maxLength={50} data-testid="account-form-region" />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="ownerId" label={t('accounts.owner')}>
              <Select
                allowClear
                showSearch={{ optionFilterProp: 'label' }}
                loading={users.isLoading}
                options={(users.data ?? []).filter((u) => u.active).map((u) => ({ value: u.id, label: u.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="channelPartnerId" label={t('accounts.channelPartner')} extra={t('accounts.channelHint')}>
              <Select
                allowClear
                placeholder={t('accounts.direct')}
                loading={partners.isLoading}
                options={(partners.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
              />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="revenueTarget" label={t('accounts.revenueTargetYuan')}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="fiscalYear" label={t('accounts.fiscalYear')}>
              <InputNumber min={2000} max={2100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="tags" label={t('accounts.tags')}>
          <Select mode="tags" options={(tags.data ?? []).map((x) => ({ value: x, label: x }))} />
        </Form.Item>
        <Form.Item name="products" label={t('accounts.products')}>
          <Select mode="tags" open={false} suffixIcon={null} />
        </Form.Item>
        <Divider titlePlacement="start" plain>
          {t('accounts.gradingInputs')}
        </Divider>
        <Row gutter={12}>
          <Col xs={24} sm={12}>
            <Form.Item name="onTimePaymentPct" label={t('accounts.onTimePaymentPct')}>
              <InputNumber min={0} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="orderAmount" label={t('accounts.orderAmount')}>
              <InputNumber min={0} precision={2} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="prospect" label={t('accounts.prospect')}>
              <Rate count={5} allowClear />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12}>
            <Form.Item name="profitMarginPct" label={t('accounts.profitMarginPct')}>
              <InputNumber min={-100} max={100} style={{ width: '100%' }} />
            </Form.Item>
          </Col>
        </Row>
        {account?.gradingComputed && (
          <Form.Item name="factorReason" label={t('accounts.factorReason')} extra={t('accounts.factorReasonHint')}>
            <Input maxLength={500} data-testid="factor-reason" />
          </Form.Item>
        )}
        {error && <Alert type="error" showIcon title={error} />}
      </Form>
    </Drawer>
  );
}
