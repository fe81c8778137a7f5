import { useCallback } from 'react';
import { Tag, Tooltip } from 'antd';
import { StarFilled } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { keyTiers, stageColor, tierColor } from '../domain';

export type EnumGroup =
  | 'tier'
  | 'stage'
  | 'toCStage'
  | 'ladder'
  | 'role'
  | 'side'
  | 'ourSide'
  | 'orgGroup'
  | 'teamKind'
  | 'customerModel'
  | 'tierSource'
  | 'factor'
  | 'seat'
  | 'segmentField'
  | 'channel';

/** Label for a server vocabulary value, falling back to the value itself. */
export function useEnum() {
  const { t } = useTranslation();
  return useCallback(
    (group: EnumGroup, value: string | null | undefined): string =>
      value ? String(t(`enum.${group}.${value}` as 'enum.tierKey', { defaultValue: value })) : '—',
    [t],
  );
}

export function useEnumOptions() {
  const label = useEnum();
  return useCallback((group: EnumGroup, values: readonly string[]) => values.map((v) => ({ value: v, label: label(group, v) })), [label]);
}

export function TierTag({ tier, long }: { tier: string; long?: boolean }) {
  const { t } = useTranslation();
  const label = useEnum();
  const key = keyTiers.includes(tier);
  return (
    <Tooltip title={label('tier', tier)}>
      <Tag color={tierColor[tier] ?? 'default'} data-testid="tier-tag" style={{ marginInlineEnd: 4 }}>
        {long ? label('tier', tier) : tier}
        {key && (
          <span style={{ marginInlineStart: 4 }}>
            <StarFilled style={{ fontSize: 10 }} /> {t('enum.tierKey')}
          </span>
        )}
      </Tag>
    </Tooltip>
  );
}

export function StageTag({ stage }: { stage: string }) {
  const label = useEnum();
  return (
    <Tag color={stageColor[stage] ?? 'default'} data-testid="stage-tag">
      {label('stage', stage)}
    </Tag>
  );
}
