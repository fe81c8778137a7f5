import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { formatMoney, type Locale } from '../../format';
import type { PeriodTotal, ProjectItem } from '../api';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

function useChart(build: (chart: echarts.ECharts) => void, deps: unknown[]) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    build(chart);
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
    // biome-ignore lint/correctness/useExhaustiveDependencies: the caller lists what the chart depends on (build is a new function every render)
  }, deps);
  return ref;
}

/** Money realised per month (bars), expected per month and realised cumulatively (lines). */
export function MoneyChart({
  data,
  locale,
  labels,
}: {
  data: PeriodTotal[];
  locale: Locale;
  labels: { realised: string; expected: string; cumulative: string };
}) {
  const ref = useChart(
    (chart) =>
      chart.setOption({
        tooltip: { trigger: 'axis', valueFormatter: (v: number) => formatMoney(Math.round(v * 100), locale) },
        legend: { top: 0, data: [labels.realised, labels.expected, labels.cumulative] },
        grid: { left: 70, right: 20, bottom: 30, top: 36 },
        xAxis: { type: 'category', data: data.map((d) => d.period) },
        yAxis: {
          type: 'value',
          axisLabel: { formatter: (v: number) => (Math.abs(v) >= 10_000 ? (locale === 'en' ? `${v / 1000}k` : `${v / 10_000}万`) : String(v)) },
        },
        series: [
          { name: labels.realised, type: 'bar', data: data.map((d) => d.realisedMinor / 100), itemStyle: { color: '#1677ff' }, barMaxWidth: 36 },
          {
            name: labels.expected,
            type: 'line',
            data: data.map((d) => d.expectedMinor / 100),
            itemStyle: { color: '#fa8c16' },
            lineStyle: { type: 'dashed' },
          },
          { name: labels.cumulative, type: 'line', data: data.map((d) => d.cumulativeRealisedMinor / 100), itemStyle: { color: '#52c41a' } },
        ],
      }),
    [data, locale, labels.realised, labels.expected, labels.cumulative],
  );
  const summary = data.map((d) => `${d.period}: ${formatMoney(d.realisedMinor, locale)}`).join('; ');
  return (
    <div
      ref={ref}
      style={{ width: '100%', height: 300 }}
      data-testid="value-money-chart"
      role="img"
      aria-label={summary}
      data-realised={data.map((d) => d.realisedMinor).join(',')}
    />
  );
}

/** One indicator: its actuals over the months, with the baseline and the target as marked lines. */
export function IndicatorChart({ item, labels }: { item: ProjectItem; labels: { baseline: string; target: string; actual: string } }) {
  const ref = useChart(
    (chart) =>
      chart.setOption({
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 70, bottom: 30, top: 20 },
        xAxis: { type: 'category', data: [item.baselinePeriod, ...item.actuals.map((a) => a.period)] },
        yAxis: { type: 'value', scale: true },
        series: [
          {
            name: labels.actual,
            type: 'line',
            data: [item.baseline, ...item.actuals.map((a) => a.value)],
            itemStyle: { color: '#1677ff' },
            markLine: {
              symbol: 'none',
              data: [
                { yAxis: item.baseline, name: labels.baseline, lineStyle: { color: '#8c8c8c' }, label: { formatter: `${labels.baseline} {c}` } },
                { yAxis: item.target, name: labels.target, lineStyle: { color: '#52c41a' }, label: { formatter: `${labels.target} {c}` } },
              ],
            },
          },
        ],
      }),
    [item, labels.actual, labels.baseline, labels.target],
  );
  return <div ref={ref} style={{ width: '100%', height: 200 }} data-testid={`value-indicator-chart-${item.key}`} />;
}
