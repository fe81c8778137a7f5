import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Flex, Form, Input, InputNumber, Modal, Select, Tag, Timeline } from 'antd';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { formatDate, formatDateTime, formatMoney, toMinor } from '../../format';
import { currentLocale } from '../../../i18n';
import { useCan } from '../../session';
import { LoadingState } from '../../components/states';
import { useCapture, useIncubation, useMoveOpportunity, useOpportunity, type CaptureBody } from '../api';

/** The console page of the record an opportunity came from (a ticket, a meeting, a value-add task, a portal need). */
export function sourceLink(o: { sourceKind: string; sourceId: string | null; accountId: string }): string | null {
  if (!o.sourceId) return null;
  switch (o.sourceKind) {
    case 'ticket':
      return `/service-desk/tickets/${o.sourceId}`;
    case 'meeting':
      return `/meetings/${o.sourceId}`;
    case 'value_add_task':
      return `/accounts/${o.accountId}?tab=valueAdd`;
    case 'portal_demand':
      return `/accounts/${o.accountId}?tab=portal`;
    default:
      return null;
  }
}

export const stageColor: Record<string, string> = { captured: 'blue', incubating: 'gold', handed_to_sales: 'purple', won: 'green', lost: 'default' };

export function StageBadge({ stage }: { stage: string }) {
  const { t } = useTranslation();
  return <Tag color={stageColor[stage] ?? 'default'}>{t(`va.stage.${stage}` as 'va.stage.captured', { defaultValue: stage })}</Tag>;
}

type CaptureForm = { title: string; description?: string; amountYuan?: number; product?: string; sourceKind?: CaptureBody['sourceKind'] };

/** Capture an opportunity on an account (a visit, a meeting, a portal demand) or from a value-add task. */
export function CaptureModal({ open, onClose, accountId, taskId }: { open: boolean; onClose: () => void; accountId?: string; taskId?: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<CaptureForm>();
  const m = useCapture({ accountId, taskId });
  return (
    <Modal
      open={open}
      title={t('va.opp.capture')}
      onCancel={onClose}
      okText={t('common.save')}
      confirmLoading={m.isPending}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'capture-submit' } as never}
      onOk={() =>
        form.validateFields().then((v) =>
          m
            .mutateAsync({
              title: v.title,
              description: v.description || null,
              amountMinor: toMinor(v.amountYuan ?? 0),
              product: v.product || null,
              sourceKind: v.sourceKind ?? 'visit',
            })
            .then(
              () => {
                message.success(t('va.opp.captured'));
                form.resetFields();
                onClose();
              },
              (e) => message.error(errorMessage(e)),
            ),
        )
      }
    >
      <Form form={form} layout="vertical" initialValues={{ sourceKind: 'visit' }} preserve={false}>
        <Form.Item name="title" label={t('va.opp.title')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={200} data-testid="capture-title" />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="amountYuan" label={t('va.opp.amount')} style={{ flex: 1 }}>
            <InputNumber min={0} precision={2} style={{ width: '100%' }} data-testid="capture-amount" />
          </Form.Item>
          <Form.Item name="product" label={t('va.opp.product')} style={{ flex: 1 }}>
            <Input maxLength={200} />
          </Form.Item>
        </Flex>
        {!taskId && (
          <Form.Item name="sourceKind" label={t('va.opp.source')}>
            <Select
              options={['visit', 'meeting', 'portal_demand', 'other'].map((s) => ({ value: s, label: t(`va.source.${s}` as 'va.source.visit') }))}
            />
          </Form.Item>
        )}
        <Form.Item name="description" label={t('va.opp.description')}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

/** One opportunity: its facts, stage history and the moves the user may make. */
export function OpportunityDrawer({ id, onClose }: { id: string | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const q = useOpportunity(id);
  const [reasonFor, setReasonFor] = useState<null | 'lost' | 'failed'>(null);
  const [reason, setReason] = useState('');
  const move = useMoveOpportunity(id);
  const incubation = useIncubation(id);
  const run = (p: Promise<unknown>) =>
    p.then(
      () => message.success(t('common.saved')),
      (e) => message.error(errorMessage(e)),
    );
  const o = q.data;
  const closer = can('opportunities.close');
  return (
    <Drawer open={!!id} onClose={onClose} title={o?.title ?? '…'} size="large" destroyOnHidden>
      {!o ? (
        <LoadingState />
      ) : (
        <>
          <Descriptions column={2} size="small" bordered>
            <Descriptions.Item label={t('va.opp.account')}>
              <Link to={`/accounts/${o.accountId}`} data-testid="opp-account-link">
                {o.accountName}
              </Link>
            </Descriptions.Item>
            <Descriptions.Item label={t('common.status')}>
              <StageBadge stage={o.stage} />
            </Descriptions.Item>
            <Descriptions.Item label={t('va.opp.amount')}>{formatMoney(o.amountMinor, locale)}</Descriptions.Item>
            <Descriptions.Item label={t('va.opp.product')}>{o.product ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('va.opp.source')}>
              {t(`va.source.${o.sourceKind}` as 'va.source.visit')}
              {sourceLink(o) && (
                <>
                  {' · '}
                  <Link to={sourceLink(o)!} data-testid="opp-source-link">
                    {t('fd.pipeline.sourceLink')}
                  </Link>
                </>
              )}
            </Descriptions.Item>
            <Descriptions.Item label={t('va.opp.capturedBy')}>{o.capturedByName}</Descriptions.Item>
            <Descriptions.Item label={o.handedAt ? t('fd.pipeline.salesOwner') : t('va.opp.owner')}>
              <span data-testid="opp-owner">{o.ownerName ?? '—'}</span>
            </Descriptions.Item>
            <Descriptions.Item label={t('va.opp.expectedClose')}>{formatDate(o.expectedCloseOn)}</Descriptions.Item>
            {o.lostReason && (
              <Descriptions.Item label={t('va.opp.lostReason')} span={2}>
                {o.lostReason}
              </Descriptions.Item>
            )}
            {o.description && (
              <Descriptions.Item label={t('va.opp.description')} span={2}>
                {o.description}
              </Descriptions.Item>
            )}
          </Descriptions>
          {can('opportunities.move') && (
            <Flex gap={8} wrap style={{ margin: '16px 0' }}>
              {o.stage === 'captured' && (
                <Button
                  type="primary"
                  data-testid="opp-start-incubation"
                  loading={move.isPending}
                  onClick={() => void run(move.mutateAsync({ to: 'incubating' }))}
                >
                  {t('va.opp.startIncubation')}
                </Button>
              )}
              {o.stage === 'incubating' && (
                <>
                  <Button
                    type="primary"
                    data-testid="opp-incubation-success"
                    loading={incubation.isPending}
                    onClick={() => void run(incubation.mutateAsync({ success: true }))}
                  >
                    {t('va.opp.incubationSuccess')}
                  </Button>
                  <Button onClick={() => setReasonFor('failed')}>{t('va.opp.incubationFailed')}</Button>
                </>
              )}
              {o.stage === 'captured' && <Button onClick={() => setReasonFor('lost')}>{t('va.opp.lost')}</Button>}
              {o.stage === 'handed_to_sales' && closer && (
                <>
                  <Button type="primary" onClick={() => void run(move.mutateAsync({ to: 'won' }))}>
                    {t('va.opp.won')}
                  </Button>
                  <Button onClick={() => setReasonFor('lost')}>{t('va.opp.lost')}</Button>
                </>
              )}
            </Flex>
          )}
          <h4>{t('va.opp.events')}</h4>
          <Timeline
            items={o.events.map((e) => ({
              color: stageColor[e.toStage] === 'default' ? 'gray' : stageColor[e.toStage],
              children: (
                <>
                  <StageBadge stage={e.toStage} /> {formatDateTime(e.at)} · {e.actorName ?? '—'}
                  {e.note && <div style={{ color: '#666' }}>{e.note}</div>}
                </>
              ),
            }))}
          />
          <Modal
            open={!!reasonFor}
            title={t('va.opp.lostReason')}
            onCancel={() => setReasonFor(null)}
            onOk={() => {
              const p = reasonFor === 'failed' ? incubation.mutateAsync({ success: false, reason }) : move.mutateAsync({ to: 'lost', reason });
              void p.then(
                () => {
                  setReasonFor(null);
                  setReason('');
                },
                (e) => message.error(errorMessage(e)),
              );
            }}
          >
            <Input.TextArea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </Modal>
        </>
      )}
    </Drawer>
  );
}
