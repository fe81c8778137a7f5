import { DatePicker, Select, Space } from 'antd';
import dayjs from 'dayjs';
import { pickerDay, pickerNow } from '../../format';
import { useTranslation } from 'react-i18next';
import { useTeams, type DashFilter } from '../api';

/** Period, team and (optionally) industry filters shared by the KPI and dashboard pages. */
export function Filters({ value, onChange, industries }: { value: DashFilter; onChange: (v: DashFilter) => void; industries?: string[] }) {
  const { t } = useTranslation();
  const teams = useTeams();
  return (
    <Space wrap>
      <DatePicker.RangePicker
        allowClear={false}
        value={[dayjs(value.from), dayjs(value.to)]}
        onChange={(r) => r?.[0] && r[1] && onChange({ ...value, from: r[0].format('YYYY-MM-DD'), to: r[1].format('YYYY-MM-DD') })}
        aria-label={t('kp.kpi.period')}
      />
      <Select
        allowClear
        placeholder={t('kp.kpi.team')}
        style={{ width: 180 }}
        value={value.teamId}
        onChange={(v) => onChange({ ...value, teamId: v })}
        options={(teams.data ?? []).map((x) => ({ value: x.id, label: x.name }))}
        data-testid="filter-team"
      />
      {industries && (
        <Select
          allowClear
          placeholder={t('kp.dash.industry')}
          style={{ width: 160 }}
          value={value.industry}
          onChange={(v) => onChange({ ...value, industry: v })}
          options={industries.map((x) => ({ value: x, label: x }))}
          data-testid="filter-industry"
        />
      )}
    </Space>
  );
}

export function defaultPeriod(months = 12): DashFilter {
  // the workspace's today, not the browser's
  const today = pickerNow();
  return { from: pickerDay(today.subtract(months, 'month').add(1, 'day')), to: pickerDay(today) };
}
