import { useEffect, useRef } from 'react';
import * as echarts from 'echarts/core';
import { BarChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { IoItem } from '../api';

echarts.use([BarChart, ScatterChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

/** Spend against output per account; flagged accounts (high spend, low output) in red. */
export function IoChart({ items, labels }: { items: IoItem[]; labels: { spend: string; output: string } }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    const top = items.slice(0, 20);
    chart.setOption({
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
      legend: { top: 0, data: [labels.spend, labels.output] },
      grid: { left: 60, right: 20, bottom: 110, top: 40 },
      xAxis: { type: 'category', data: top.map((i) => i.accountName), axisLabel: { rotate: 35, interval: 0, fontSize: 11 } },
      yAxis: { type: 'value', axisLabel: { formatter: (v: number) => (v >= 10_000 ? `${v / 10_000}万` : String(v)) } },
      series: [
        {
          name: labels.spend,
          type: 'bar',
          data: top.map((i) => ({ value: i.spendMinor / 100, itemStyle: { color: i.flagged ? '#ff4d4f' : '#fa8c16' } })),
        },
        { name: labels.output, type: 'bar', data: top.map((i) => i.capturedMinor / 100), itemStyle: { color: '#1677ff' } },
      ],
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [items, labels.spend, labels.output]);
  return <div ref={ref} style={{ width: '100%', height: 340 }} data-testid="io-chart" />;
}
