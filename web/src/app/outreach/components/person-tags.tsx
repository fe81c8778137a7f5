// A person's tags as labelled chips, and each tag's reason in words (source, who, when, the rule's evidence).
import { Tag, Tooltip } from 'antd';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDateTime } from '../../format';
import type { PersonRow, PersonTag } from '../people-api';

type Source = PersonTag['source'];
export const sourceColor: Record<Source, string> = { manual: 'blue', import: 'purple', rule: 'green' };

/** Tags of a person in a list: the tag, with where it came from as its colour and tooltip. */
export function TagChips({ tags }: { tags: PersonRow['tags'] }) {
  const { t } = useTranslation();
  return (
    <>
      {tags.map((x) => (
        <Tooltip key={x.tag} title={x.sources.map((s) => t(`op.source.${s}`)).join(' · ')}>
          <Tag color={sourceColor[x.sources[0]]} style={{ marginBottom: 4 }} data-testid="person-tag">
            {x.tag}
          </Tag>
        </Tooltip>
      ))}
    </>
  );
}

/** Why a tag is there, in the user's words and the workspace's dates. */
export function useTagWhy() {
  const { t } = useTranslation();
  return useCallback(
    (x: PersonTag): string => {
      const who = x.by ?? t('op.portrait.someone');
      if (x.source === 'manual') {
        return x.note
          ? t('op.portrait.why.manualNote', { who, at: formatDateTime(x.at), note: x.note })
          : t('op.portrait.why.manual', { who, at: formatDateTime(x.at) });
      }
      if (x.source === 'import') return t('op.portrait.why.import', { who, at: formatDateTime(x.at), file: x.note ?? '' });
      const e = x.evidence;
      if (!e) return t('op.source.rule');
      const vars = {
        rule: x.ruleName ?? '',
        days: e.days,
        kind: t(`op.kind.${e.kind}`),
        count: e.count,
        minCount: e.minCount,
        at: formatDateTime(e.evaluatedAt),
      };
      return e.lastAt ? t('op.portrait.why.rule', { ...vars, last: formatDate(e.lastAt) }) : t('op.portrait.why.ruleNoLast', vars);
    },
    [t],
  );
}
