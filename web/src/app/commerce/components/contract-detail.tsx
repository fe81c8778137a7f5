// One contract: its terms, payment plan (each item paid on time, late or open), payments, and delivery projects
// with milestones (on time or late), acceptance and hours.
import { useState } from 'react';
import {
  App,
  Button,
  Card,
  Checkbox,
  DatePicker,
  Descriptions,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { CheckOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../../../api/client';
import { currentLocale } from '../../../i18n';
import { formatDate, formatMoney, inZone, toMinor } from '../../format';
import { useCan } from '../../session';
import { applyServerErrors } from '../../components/forms';
import { ErrorState, LoadingState } from '../../components/states';
import { useUsers } from '../../people/api';
import {
  useAddMilestone,
  useAddPlanItem,
  useContract,
  useCreateProject,
  useDeletePayment,
  useReachMilestone,
  useRecordPayment,
  useUpdateProject,
  type PlanItemRow,
  type ProjectView,
} from '../api';

const planColor = { paid: 'green', paid_late: 'gold', part_paid: 'blue', open: 'default', overdue: 'red' } as const;
const milestoneColor = { done_on_time: 'green', done_late: 'gold', late: 'red', planned: 'default' } as const;
const day = (d: Dayjs | null | undefined) => (d ? d.format('YYYY-MM-DD') : null);

/** A small form in a modal: the fields, the mutation, and the server's field errors on the fields. */
function FormModal<V extends object>(props: {
  open: boolean;
  title: string;
  onClose: () => void;
  onSubmit: (v: V) => Promise<unknown>;
  fieldMap?: Record<string, string>;
  children: React.ReactNode;
  testId?: string;
}) {
  const [form] = Form.useForm<V>();
  const { message } = App.useApp();
  const [busy, setBusy] = useState(false);
  return (
    <Modal
      open={props.open}
      title={props.title}
      onCancel={props.onClose}
      onOk={() => form.submit()}
      confirmLoading={busy}
      destroyOnHidden
      okButtonProps={props.testId ? { 'data-testid': props.testId } : undefined}
    >
      <Form
        form={form}
        layout="vertical"
        onFinish={async (v) => {
          setBusy(true);
          try {
            await props.onSubmit(v);
            form.resetFields();
            props.onClose();
          } catch (e) {
            const msg = applyServerErrors(form, e, props.fieldMap ?? {});
            if (msg) void message.error(msg);
          } finally {
            setBusy(false);
          }
        }}
      >
        {props.children}
      </Form>
    </Modal>
  );
}

export function ContractDetail({ contractId }: { contractId: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const locale = currentLocale();
  const q = useContract(contractId);
  const addItem = useAddPlanItem(contractId);
  const pay = useRecordPayment(contractId);
  const delPay = useDeletePayment();
  const newProject = useCreateProject(contractId);
  const users = useUsers(can('projects.manage'));
  const [modal, setModal] = useState<'item' | 'payment' | 'project' | null>(null);
  const required = [{ required: true, message: t('cm.validation.required') }];
  const money = (v: number | null) => formatMoney(v, locale);

  if (q.isPending) return <LoadingState rows={10} />;
  if (q.isError) return <ErrorState error={q.error} onRetry={() => void q.refetch()} />;
  const { contract: c, planItems, payments, projects } = q.data;

  return (
    <div data-testid="contract-detail">
      <Space direction="vertical" size={16} style={{ width: '100%' }}>
        <Descriptions
          size="small"
          column={2}
          items={[
            { key: 'n', label: t('cm.contract.number'), children: c.number },
            { key: 't', label: t('cm.contract.title'), children: c.title },
            { key: 'a', label: t('cm.contract.amount'), children: money(c.amountMinor) },
            ...(c.costMinor !== null ? [{ key: 'c', label: t('cm.contract.cost'), children: money(c.costMinor) }] : []),
            { key: 's', label: t('cm.contract.signedOn'), children: formatDate(c.signedOn) },
            { key: 'term', label: t('cm.contract.term'), children: `${formatDate(c.startsOn)} – ${formatDate(c.endsOn)}` },
            { key: 'm', label: t('cm.contract.maintenanceEndsOn'), children: formatDate(c.maintenanceEndsOn) },
            {
              key: 'sla',
              label: t('cm.contract.slaTier'),
              children: c.slaTier ? t(`enum.tier.${c.slaTier}` as 'enum.tier.A') : t('cm.contract.slaTierAuto'),
            },
            { key: 'p', label: t('cm.contract.products'), children: c.products.join('、') || '—' },
            {
              key: 'sv',
              label: t('cm.contract.services'),
              children: c.services.length
                ? c.services.map((s) => (
                    <Tag key={s.name} color={s.customisation ? 'purple' : undefined}>
                      {s.name}
                      {s.customisation ? ` · ${t('cm.contract.customisation')}` : ''}
                    </Tag>
                  ))
                : '—',
            },
            {
              key: 'docs',
              label: t('cm.contract.documents'),
              children: c.documents.length
                ? c.documents.map((d) => (
                    <a key={d.url} href={d.url} target="_blank" rel="noreferrer noopener" style={{ marginRight: 8 }}>
                      {d.title}
                    </a>
                  ))
                : '—',
            },
          ]}
        />

        <Card
          size="small"
          title={t('cm.plan.title')}
          extra={
            can('collections.manage') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setModal('item')} data-testid="plan-add">
                {t('cm.plan.add')}
              </Button>
            )
          }
        >
          <Table<PlanItemRow>
            size="small"
            rowKey="id"
            dataSource={planItems}
            pagination={false}
            locale={{ emptyText: <Empty description={t('cm.plan.empty')} /> }}
            columns={[
              { title: t('cm.plan.label'), dataIndex: 'label' },
              { title: t('cm.plan.dueOn'), dataIndex: 'dueOn', render: formatDate },
              { title: t('cm.plan.amount'), dataIndex: 'amountMinor', align: 'right', render: money },
              { title: t('cm.plan.paid'), dataIndex: 'paidMinor', align: 'right', render: money },
              { title: t('cm.plan.paidOn'), dataIndex: 'paidOn', render: formatDate },
              { title: '', dataIndex: 'state', render: (s: PlanItemRow['state']) => <Tag color={planColor[s]}>{t(`cm.plan.state.${s}`)}</Tag> },
            ]}
          />
        </Card>

        <Card
          size="small"
          title={t('cm.payment.title')}
          extra={
            can('collections.manage') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setModal('payment')} data-testid="payment-add">
                {t('cm.payment.add')}
              </Button>
            )
          }
        >
          <Table
            size="small"
            rowKey="id"
            dataSource={payments}
            pagination={false}
            locale={{ emptyText: <Empty description={t('cm.payment.empty')} /> }}
            columns={[
              { title: t('cm.payment.receivedOn'), dataIndex: 'receivedOn', render: formatDate },
              { title: t('cm.payment.amount'), dataIndex: 'amountMinor', align: 'right', render: money },
              {
                title: t('cm.payment.forItem'),
                dataIndex: 'planItemId',
                render: (id: string | null) => planItems.find((i) => i.id === id)?.label ?? t('cm.payment.anyItem'),
              },
              { title: t('cm.payment.reference'), dataIndex: 'reference' },
              {
                title: '',
                key: 'x',
                render: (_: unknown, r) =>
                  can('collections.manage') && (
                    <Popconfirm
                      title={t('cm.payment.deleteConfirm')}
                      onConfirm={() =>
                        delPay.mutateAsync(r.id).then(
                          () => undefined,
                          (e) => void message.error(errorMessage(e)),
                        )
                      }
                    >
                      <Button size="small" type="text" danger icon={<DeleteOutlined />} aria-label={t('common.delete')} />
                    </Popconfirm>
                  ),
              },
            ]}
          />
        </Card>

        <Card
          size="small"
          title={t('cm.project.title')}
          extra={
            can('projects.manage') && (
              <Button size="small" icon={<PlusOutlined />} onClick={() => setModal('project')} data-testid="project-add">
                {t('cm.project.add')}
              </Button>
            )
          }
        >
          {projects.length === 0 ? (
            <Empty description={t('cm.project.empty')} />
          ) : (
            <Space direction="vertical" style={{ width: '100%' }}>
              {projects.map((p) => (
                <ProjectCard key={p.id} p={p} />
              ))}
            </Space>
          )}
        </Card>

        <FormModal<{ label: string; dueOn: Dayjs; amount: number; invoiceNo?: string }>
          open={modal === 'item'}
          title={t('cm.plan.add')}
          onClose={() => setModal(null)}
          fieldMap={{ amountMinor: 'amount' }}
          testId="plan-save"
          onSubmit={(v) =>
            addItem.mutateAsync({ label: v.label, dueOn: day(v.dueOn)!, amountMinor: toMinor(v.amount), invoiceNo: v.invoiceNo || null })
          }
        >
          <Form.Item name="label" label={t('cm.plan.label')} rules={required}>
            <Input maxLength={100} />
          </Form.Item>
          <Form.Item name="dueOn" label={t('cm.plan.dueOn')} rules={required}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="amount" label={t('cm.plan.amount')} rules={required}>
            <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="invoiceNo" label={t('cm.plan.invoiceNo')}>
            <Input maxLength={50} />
          </Form.Item>
        </FormModal>

        <FormModal<{ receivedOn: Dayjs; amount: number; planItemId?: string; reference?: string }>
          open={modal === 'payment'}
          title={t('cm.payment.add')}
          onClose={() => setModal(null)}
          fieldMap={{ amountMinor: 'amount' }}
          testId="payment-save"
          onSubmit={async (v) => {
            await pay.mutateAsync({
              receivedOn: day(v.receivedOn)!,
              amountMinor: toMinor(v.amount),
              planItemId: v.planItemId ?? null,
              reference: v.reference ?? '',
            });
            void message.success(t('cm.payment.recorded'));
          }}
        >
          <Form.Item name="receivedOn" label={t('cm.payment.receivedOn')} rules={required}>
            <DatePicker />
          </Form.Item>
          <Form.Item name="amount" label={t('cm.payment.amount')} rules={required}>
            <InputNumber min={0.01} precision={2} style={{ width: 200 }} />
          </Form.Item>
          <Form.Item name="planItemId" label={t('cm.payment.forItem')}>
            <Select
              allowClear
              placeholder={t('cm.payment.anyItem')}
              options={planItems.map((i) => ({ value: i.id, label: `${i.label} · ${formatDate(i.dueOn)} · ${money(i.amountMinor)}` }))}
            />
          </Form.Item>
          <Form.Item name="reference" label={t('cm.payment.reference')}>
            <Input maxLength={200} />
          </Form.Item>
        </FormModal>

        <FormModal<{ name: string; managerId?: string }>
          open={modal === 'project'}
          title={t('cm.project.add')}
          onClose={() => setModal(null)}
          testId="project-save"
          onSubmit={(v) => newProject.mutateAsync({ name: v.name, managerId: v.managerId ?? null })}
        >
          <Form.Item name="name" label={t('cm.project.name')} rules={required}>
            <Input maxLength={200} />
          </Form.Item>
          <Form.Item name="managerId" label={t('cm.project.manager')}>
            <Select allowClear showSearch optionFilterProp="label" options={(users.data ?? []).map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
        </FormModal>
      </Space>
    </div>
  );
}

function ProjectCard({ p }: { p: ProjectView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const can = useCan();
  const reach = useReachMilestone();
  const addMs = useAddMilestone();
  const update = useUpdateProject();
  const [modal, setModal] = useState<'milestone' | 'acceptance' | null>(null);
  const required = [{ required: true, message: t('cm.validation.required') }];
  const manage = can('projects.manage');
  return (
    <Card
      size="small"
      type="inner"
      title={
        <Space wrap>
          <span>{p.name}</span>
          {p.managerName && <Typography.Text type="secondary">{p.managerName}</Typography.Text>}
          <Tag>
            {t('cm.project.hours')}: {p.hours}
          </Tag>
          {p.acceptedOn ? (
            <Tag color={p.firstPass ? 'green' : 'orange'}>
              {t('cm.project.acceptance')} {formatDate(p.acceptedOn)} · {p.firstPass ? t('cm.project.firstPassYes') : t('cm.project.firstPassNo')}
              {p.defects !== null ? ` · ${t('cm.project.defects')} ${p.defects}` : ''}
            </Tag>
          ) : (
            <Tag>{t('cm.project.notAccepted')}</Tag>
          )}
        </Space>
      }
      extra={
        manage && (
          <Space>
            <Button size="small" onClick={() => setModal('milestone')}>
              {t('cm.milestone.add')}
            </Button>
            <Button size="small" onClick={() => setModal('acceptance')}>
              {t('cm.project.recordAcceptance')}
            </Button>
          </Space>
        )
      }
    >
      <Table
        size="small"
        rowKey="id"
        dataSource={p.milestones}
        pagination={false}
        columns={[
          { title: t('cm.milestone.title'), dataIndex: 'title' },
          { title: t('cm.milestone.plannedOn'), dataIndex: 'plannedOn', render: formatDate },
          { title: t('cm.milestone.actualOn'), dataIndex: 'actualOn', render: formatDate },
          {
            title: '',
            dataIndex: 'state',
            render: (s: ProjectView['milestones'][number]['state'], m) => (
              <Space>
                <Tag color={milestoneColor[s]}>{t(`cm.milestone.state.${s}`)}</Tag>
                {manage && !m.actualOn && (
                  <Button
                    size="small"
                    icon={<CheckOutlined />}
                    onClick={() =>
                      reach
                        .mutateAsync({ milestoneId: m.id, actualOn: inZone(new Date()).format('YYYY-MM-DD') })
                        .catch((e) => void message.error(errorMessage(e)))
                    }
                  >
                    {t('cm.milestone.reach')}
                  </Button>
                )}
              </Space>
            ),
          },
        ]}
      />
      <FormModal<{ title: string; plannedOn: Dayjs }>
        open={modal === 'milestone'}
        title={t('cm.milestone.add')}
        onClose={() => setModal(null)}
        onSubmit={(v) => addMs.mutateAsync({ projectId: p.id, body: { title: v.title, plannedOn: day(v.plannedOn)! } })}
      >
        <Form.Item name="title" label={t('cm.milestone.title')} rules={required}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item name="plannedOn" label={t('cm.milestone.plannedOn')} rules={required}>
          <DatePicker />
        </Form.Item>
      </FormModal>
      <FormModal<{ acceptedOn: Dayjs; firstPass?: boolean; defects?: number }>
        open={modal === 'acceptance'}
        title={t('cm.project.recordAcceptance')}
        onClose={() => setModal(null)}
        onSubmit={(v) =>
          update.mutateAsync({ projectId: p.id, body: { acceptedOn: day(v.acceptedOn), firstPass: !!v.firstPass, defects: v.defects ?? null } })
        }
      >
        <Form.Item name="acceptedOn" label={t('cm.project.acceptedOn')} rules={required}>
          <DatePicker />
        </Form.Item>
        <Form.Item name="firstPass" valuePropName="checked">
          <Checkbox>{t('cm.project.firstPass')}</Checkbox>
        </Form.Item>
        <Form.Item name="defects" label={t('cm.project.defects')}>
          <InputNumber min={0} precision={0} />
        </Form.Item>
      </FormModal>
    </Card>
  );
}
