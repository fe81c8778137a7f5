import { useEffect, useMemo, useRef, useState } from 'react';
import { init, use, type EChartsCoreOption, type EChartsType } from 'echarts/core';
import { GraphChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../format';
import { useEnum } from '../../components/labels';
import type { Contact, RelationshipLink } from '../api';

use([GraphChart, TooltipComponent, LegendComponent, CanvasRenderer]);

const strengthColor = ['#d9d9d9', '#ffccc7', '#ffd591', '#91caff', '#4096ff', '#0958d9'];

/** Our people on the left, their contacts on the right, one edge per link, thicker when stronger. */
export function RelationshipMap({ contacts, links }: { contacts: Contact[]; links: RelationshipLink[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [width, setWidth] = useState(0);
  const { t } = useTranslation();
  const label = useEnum();

  const ours = useMemo(() => [...new Map(links.map((l) => [l.userId, l])).values()], [links]);
  const rows = Math.max(ours.length, contacts.length, 1);
  const height = Math.max(240, rows * 60 + 80);

  useEffect(() => {
    if (!ref.current) return;
    chart.current = init(ref.current, undefined, { renderer: 'canvas' });
    const ro = new ResizeObserver((entries) => {
      setWidth(Math.round(entries[0]?.contentRect.width ?? 0));
      chart.current?.resize();
    });
    ro.observe(ref.current);
    return () => {
      ro.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    if (!chart.current || !width) return;
    // coordinates in pixels of the drawing box, so the view is not stretched (round nodes, straight scale)
    const boxW = Math.max(width - 340, 120);
    const boxH = height - 80;
    const spread = (i: number, n: number) => (n <= 1 ? boxH / 2 : (i * boxH) / (n - 1));
    const sidesOf = (uid: string) => [...new Set(links.filter((l) => l.userId === uid).map((l) => label('ourSide', l.ourSide)))].join('/');
    const nodes = [
      ...ours.map((l, i) => ({
        id: `u:${l.userId}`,
        name: l.userName,
        x: 0,
        y: spread(i, ours.length),
        category: 0,
        symbolSize: 16,
        value: sidesOf(l.userId),
        label: {
          show: true,
          position: 'left' as const,
          formatter: `${l.userName}\n{s|${sidesOf(l.userId)}}`,
          lineHeight: 16,
          rich: { s: { color: '#8c8c8c', fontSize: 11, lineHeight: 14 } },
        },
      })),
      ...contacts.map((c, i) => ({
        id: `c:${c.id}`,
        name: c.name,
        x: boxW,
        y: spread(i, contacts.length),
        category: 1,
        symbolSize: c.isKeyPerson ? 20 : 16,
        value: label('side', c.side),
        label: {
          show: true,
          position: 'right' as const,
          formatter: `${c.name}${c.title ? ` · ${c.title}` : ''}\n{s|${label('side', c.side)}}`,
          lineHeight: 16,
          rich: { s: { color: '#8c8c8c', fontSize: 11, lineHeight: 14 } },
        },
      })),
    ];
    // two invisible anchors pin the drawing box, so one-sided or single-row maps keep their scale
    const anchors = [
      { id: '__a', name: '', x: 0, y: 0, symbolSize: 0, label: { show: false } },
      { id: '__b', name: '', x: boxW, y: boxH, symbolSize: 0, label: { show: false } },
    ];
    const edges = links.map((l) => ({
      source: `u:${l.userId}`,
      target: `c:${l.contactId}`,
      value: l.strength,
      lastContactAt: l.lastContactAt,
      lineStyle: { width: 1 + l.strength * 1.5, color: strengthColor[l.strength] ?? '#999', opacity: 0.9, curveness: 0.08 },
    }));
    const option: EChartsCoreOption = {
      tooltip: {
        formatter: (p: { dataType: string; data: { name?: string; value?: string | number; lastContactAt?: string | null }; name: string }) => {
          if (p.dataType === 'edge') {
            return `${t('rel.strength')}: ${p.data.value} / 5<br/>${t('rel.lastContactAt')}: ${formatDate(p.data.lastContactAt ?? null)}`;
          }
          return p.name ? `${p.name}<br/>${p.data.value ?? ''}` : '';
        },
      },
      legend: { data: [t('rel.ours'), t('rel.theirs')], top: 0 },
      series: [
        {
          type: 'graph',
          layout: 'none',
          roam: false,
          left: 140,
          top: 56,
          width: boxW,
          height: boxH,
          categories: [
            { name: t('rel.ours'), itemStyle: { color: '#1677ff' } },
            { name: t('rel.theirs'), itemStyle: { color: '#fa8c16' } },
          ],
          data: [...nodes, ...anchors],
          links: edges,
          emphasis: { focus: 'adjacency', lineStyle: { width: 8 } },
          label: { fontSize: 12 },
        },
      ],
    };
    chart.current.setOption(option, true);
    chart.current.resize();
  }, [contacts, links, ours, width, height, t, label]);

  return <div ref={ref} style={{ width: '100%', height }} data-testid="relationship-map" />;
}
