// The rule conditions of a segment (field + values, all of which must hold): the segment settings and a
// campaign's audience edit them the same way.
import { Button, Flex, Form, Select, type FormInstance } from 'antd';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { ladders, stages, tiers, toCStages } from '../domain';
import { useMe } from '../session';
import { useEnum, type EnumGroup } from './labels';
import { useTags } from '../accounts/api';

/** What each rule field may hold; free-text fields take any value (typed as tags). */
export const fieldValues: Record<string, { group?: EnumGroup; values?: readonly string[] }> = {
  tier: { group: 'tier', values: tiers },
  stage: { group: 'stage', values: stages },
  toCStage: { group: 'toCStage', values: toCStages },
  ladder: { group: 'ladder', values: ladders },
  channel: { group: 'channel', values: ['direct', 'channel'] },
  industry: {},
  region: {},
  tag: {},
};

export function useFieldLabel() {
  const { t } = useTranslation();
  const label = useEnum();
  return (f: string) => (f === 'toCStage' ? t('settings.segments.toCStage') : label('segmentField', f));
}

export function RuleValues({ field, value, onChange }: { field?: string; value?: string[]; onChange?: (v: string[]) => void }) {
  const label = useEnum();
  const tags = useTags();
  const spec = field ? fieldValues[field] : undefined;
  const options = spec?.values
    ? spec.values.map((v) => ({ value: v, label: label(spec.group!, v) }))
    : field === 'tag'
      ? (tags.data ?? []).map((x) => ({ value: x, label: x }))
      : [];
  return (
    <Select
      mode={spec?.values ? 'multiple' : 'tags'}
      value={value}
      onChange={onChange}
      options={options}
      style={{ minWidth: 220, flex: 1 }}
      disabled={!field}
    />
  );
}

/** The fields a rule may use here (the to-C stage only where customers are consumers). */
export function useRuleFields() {
  const me = useMe();
  return Object.keys(fieldValues).filter((f) => f !== 'toCStage' || me.data?.workspace.customerModel !== 'to_b');
}

/** The editable list of conditions at `name` of `form`; `required`: at least one. */
export function SegmentRules({
  form,
  name,
  fields,
  required = true,
}: {
  // biome-ignore lint/suspicious/noExplicitAny: used by forms of different shapes
  form: FormInstance<any>;
  name: (string | number)[];
  fields: string[];
  required?: boolean;
}) {
  const { t } = useTranslation();
  const fieldLabel = useFieldLabel();
  return (
    <Form.List
      name={name}
      rules={
        required ? [{ validator: async (_, rules) => (rules?.length ? undefined : Promise.reject(new Error(t('settings.segments.needRule')))) }] : []
      }
    >
      {(items, { add, remove }, { errors }) => (
        <>
          {items.map((item) => (
            <Flex key={item.key} gap={8} align="baseline" wrap>
              <Form.Item name={[item.name, 'field']} rules={[{ required: true, message: t('common.required') }]} style={{ width: 140 }}>
                <Select
                  options={fields.map((f) => ({ value: f, label: fieldLabel(f) }))}
                  onChange={() => form.setFieldValue([...name, item.name, 'values'], [])}
                  placeholder={t('settings.segments.field')}
                />
              </Form.Item>
              <Form.Item noStyle shouldUpdate>
                {() => (
                  <Form.Item
                    name={[item.name, 'values']}
                    rules={[{ required: true, message: t('common.required') }]}
                    style={{ flex: 1, minWidth: 220 }}
                  >
                    <RuleValues field={form.getFieldValue([...name, item.name, 'field'])} />
                  </Form.Item>
                )}
              </Form.Item>
              <MinusCircleOutlined onClick={() => remove(item.name)} aria-label={t('common.delete')} />
            </Flex>
          ))}
          <Button type="dashed" onClick={() => add({ field: undefined, values: [] })} icon={<PlusOutlined />} block>
            {t('settings.segments.addRule')}
          </Button>
          <Form.ErrorList errors={errors} />
        </>
      )}
    </Form.List>
  );
}
