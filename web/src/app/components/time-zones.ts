/**
 * The time zones a workspace can be in: the common ones first (with a name in the UI's language), then
 * every other zone the browser knows. Used by the setup page and the workspace settings.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';

export const COMMON_TIME_ZONES = [
  'Asia/Shanghai',
  'Asia/Hong_Kong',
  'Asia/Taipei',
  'Asia/Singapore',
  'Asia/Tokyo',
  'Asia/Seoul',
  'Europe/Berlin',
  'Europe/London',
  'America/New_York',
  'America/Los_Angeles',
  'UTC',
] as const;

function allTimeZones(): string[] {
  try {
    return (Intl as unknown as { supportedValuesOf(k: string): string[] }).supportedValuesOf('timeZone');
  } catch {
    return [];
  }
}

/** Select options: common zones labelled "中国标准时间（北京） · Asia/Shanghai", then the rest by their IANA name. */
export function useTimeZoneOptions(): { value: string; label: string }[] {
  // `t` is a new function when the language changes, so the labels follow it
  const { t } = useTranslation();
  return useMemo(() => {
    const common = new Set<string>(COMMON_TIME_ZONES);
    const named = COMMON_TIME_ZONES.map((z) => ({ value: z, label: `${t(`timeZones.${z}` as 'timeZones.UTC')} · ${z}` }));
    const rest = allTimeZones()
      .filter((z) => !common.has(z))
      .map((z) => ({ value: z, label: z }));
    return [...named, ...rest];
  }, [t]);
}
