// The printable value report as one self-contained HTML page (no scripts, no outside resources):
// served as the printable page and printed to PDF by Chromium. Every user text is escaped.
import type { Locale } from '../../platform/i18n.js';
import { htmlToPdf } from './report.pdf.js';
import type { ValueReport } from './report.service.js';

export function escapeHtml(s: unknown): string {
  return String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Fen as money text, by integer arithmetic: ¥1,234,567.00 (zh-CN) or CNY 1,234,567.00 (en). */
export function formatMoney(minor: number | null, locale: Locale, currency = 'CNY'): string {
  if (minor === null) return '—';
  const neg = minor < 0;
  const abs = Math.abs(minor);
  const yuan = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const fen = String(abs % 100).padStart(2, '0');
  const prefix = locale === 'en' || currency !== 'CNY' ? `${currency} ` : '¥';
  return `${neg ? '-' : ''}${prefix}${yuan}.${fen}`;
}

const num = (x: number | null) => (x === null ? '—' : String(Number(x.toFixed(6))));

const T = {
  'zh-CN': {
    title: '业务价值评估报告',
    generated: '生成时间',
    expectedMonth: '预期价值（每月）',
    expectedToDate: '预期价值（已计量月份）',
    realised: '已实现价值（累计）',
    chart: '每月已实现价值与预期价值',
    legendRealised: '已实现',
    legendExpected: '预期',
    indicators: '指标明细',
    stage: '阶段 / 维度',
    indicator: '指标',
    baseline: '基线',
    target: '目标',
    latest: '最新实际',
    status: '状态',
    expected: '预期/月',
    realisedCol: '已实现',
    periods: '各月实际与价值',
    period: '月份',
    actual: '实际值',
    value: '价值',
    formula: '价值计算方式',
    params: '参数',
    none: '尚未选择价值指标。',
    noData: '暂无实际数据',
    status_no_data: '暂无数据',
    status_behind: '未改善',
    status_improving: '改善中',
    status_reached: '已达标',
    promises: '专家服务承诺价值',
    service: '服务',
    promised: '承诺价值',
    linked: '关联指标',
    promise_unlinked: '未关联指标',
    promise_open: '进行中',
    promise_kept: '已兑现',
    better_down: '越低越好',
    better_up: '越高越好',
  },
  en: {
    title: 'Business value assessment',
    generated: 'Generated',
    expectedMonth: 'Expected value per month',
    expectedToDate: 'Expected value, months measured',
    realised: 'Value realised to date',
    chart: 'Value realised and expected per month',
    legendRealised: 'Realised',
    legendExpected: 'Expected',
    indicators: 'Indicators',
    stage: 'Stage / dimension',
    indicator: 'Indicator',
    baseline: 'Baseline',
    target: 'Target',
    latest: 'Latest actual',
    status: 'Status',
    expected: 'Expected / month',
    realisedCol: 'Realised',
    periods: 'Actuals and value per month',
    period: 'Month',
    actual: 'Actual',
    value: 'Value',
    formula: 'How the value is worked out',
    params: 'Parameters',
    none: 'No value indicators chosen yet.',
    noData: 'No actuals yet',
    status_no_data: 'No data',
    status_behind: 'Behind',
    status_improving: 'Improving',
    status_reached: 'Reached',
    promises: 'Value promised by expert services',
    service: 'Service',
    promised: 'Promised',
    linked: 'Indicators',
    promise_unlinked: 'Not linked',
    promise_open: 'Open',
    promise_kept: 'Kept',
    better_down: 'lower is better',
    better_up: 'higher is better',
  },
} as const;

/** Bars of money realised per month and a line of the expected value, as inline SVG. */
function chartSvg(r: ValueReport): string {
  const t = T[r.locale];
  const data = r.byPeriod;
  if (!data.length) return `<p class="muted">${escapeHtml(t.noData)}</p>`;
  const W = 680;
  const H = 220;
  const left = 70;
  const bottom = 30;
  const top = 16;
  const max = Math.max(1, ...data.map((d) => Math.max(d.realisedMinor, d.expectedMinor)));
  const min = Math.min(0, ...data.map((d) => d.realisedMinor));
  const span = max - min;
  const y = (v: number) => top + ((max - v) / span) * (H - top - bottom);
  const step = (W - left - 10) / data.length;
  const bw = Math.min(48, step * 0.6);
  const bars = data
    .map((d, i) => {
      const x = left + i * step + (step - bw) / 2;
      const y0 = y(Math.max(0, d.realisedMinor));
      const h = Math.abs(y(d.realisedMinor) - y(0));
      return `<rect x="${x.toFixed(1)}" y="${y0.toFixed(1)}" width="${bw.toFixed(1)}" height="${h.toFixed(1)}" fill="#1677ff"/><text x="${(x + bw / 2).toFixed(1)}" y="${H - 10}" font-size="11" text-anchor="middle">${escapeHtml(d.period)}</text>`;
    })
    .join('');
  const line = data.map((d, i) => `${(left + i * step + step / 2).toFixed(1)},${y(d.expectedMinor).toFixed(1)}`).join(' ');
  const ticks = [max, (max + min) / 2, min]
    .map(
      (v) =>
        `<text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" font-size="10" text-anchor="end">${escapeHtml(formatMoney(Math.round(v / 100) * 100, r.locale, r.account.currency).replace(/\.00$/, ''))}</text><line x1="${left}" x2="${W - 10}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#eee"/>`,
    )
    .join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" role="img" aria-label="${escapeHtml(t.chart)}">${ticks}${bars}<polyline points="${line}" fill="none" stroke="#fa8c16" stroke-width="2" stroke-dasharray="5 3"/></svg>
<div class="legend"><span class="sw" style="background:#1677ff"></span>${escapeHtml(t.legendRealised)} <span class="sw" style="background:#fa8c16"></span>${escapeHtml(t.legendExpected)}</div>`;
}

export function renderReportHtml(r: ValueReport): string {
  const t = T[r.locale];
  const m = (x: number | null) => escapeHtml(formatMoney(x, r.locale, r.account.currency));
  const rows = r.items
    .map(
      (i) => `<tr>
<td>${escapeHtml(i.stageLabel)} / ${escapeHtml(i.dimensionLabel)}</td>
<td><b>${escapeHtml(i.name)}</b><br/><span class="muted">${escapeHtml(i.unitLabel)} · ${escapeHtml(i.direction === 'down' ? t.better_down : t.better_up)}</span></td>
<td class="n">${escapeHtml(num(i.baseline))}<br/><span class="muted">${escapeHtml(i.baselinePeriod)}</span></td>
<td class="n">${escapeHtml(num(i.target))}</td>
<td class="n">${escapeHtml(num(i.latest))}</td>
<td>${escapeHtml(t[`status_${i.status}`])}${i.progressPct === null ? '' : ` (${i.progressPct}%)`}</td>
<td class="n">${i.expectedError ? `<span class="err">${escapeHtml(i.expectedError)}</span>` : m(i.expectedPerPeriodMinor)}</td>
<td class="n">${m(i.realisedTotalMinor)}</td>
</tr>`,
    )
    .join('');
  const details = r.items
    .map(
      (i) => `<section class="item"><h3>${escapeHtml(i.name)}</h3>
<p class="muted">${escapeHtml(t.formula)}: ${escapeHtml(i.formulaInWords)} · ${escapeHtml(t.params)}: ${i.params.map((p) => `${escapeHtml(p.label)} = ${escapeHtml(num(p.value))}${p.unit ? ` ${escapeHtml(p.unit)}` : ''}`).join('；')}</p>
${
  i.periods.length
    ? `<table><thead><tr><th>${escapeHtml(t.period)}</th><th class="n">${escapeHtml(t.actual)}</th><th class="n">${escapeHtml(t.value)}</th></tr></thead><tbody>${i.periods
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.period)}</td><td class="n">${escapeHtml(num(p.value))}</td><td class="n">${p.error ? `<span class="err">${escapeHtml(p.error)}</span>` : m(p.realisedMinor)}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : `<p class="muted">${escapeHtml(t.noData)}</p>`
}</section>`,
    )
    .join('');
  return `<!doctype html>
<html lang="${r.locale}"><head><meta charset="utf-8"/>
<title>${escapeHtml(r.account.name)} · ${escapeHtml(t.title)}</title>
<style>
@page { size: A4; margin: 14mm 12mm; }
body { font-family: "Noto Sans CJK SC", "Noto Serif CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: #1f1f1f; font-size: 12px; margin: 0 auto; max-width: 760px; }
h1 { font-size: 20px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 18px 0 8px; } h3 { font-size: 13px; margin: 12px 0 4px; }
.muted { color: #8c8c8c; } .err { color: #cf1322; }
.cards { display: flex; gap: 12px; margin: 12px 0; }
.card { flex: 1; box-sizing: border-box; border: 1px solid #f0f0f0; border-radius: 6px; padding: 8px 12px; }
.card .v { font-size: 18px; font-weight: 600; margin-top: 4px; }
table { border-collapse: collapse; width: 100%; } th, td { border-bottom: 1px solid #f0f0f0; padding: 5px 6px; text-align: left; vertical-align: top; }
th { background: #fafafa; font-weight: 600; } .n { text-align: right; white-space: nowrap; }
.legend { font-size: 11px; color: #595959; } .sw { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 10px; }
.item { page-break-inside: avoid; } code { font-size: 11px; }
</style></head>
<body>
<h1>${escapeHtml(r.account.name)} · ${escapeHtml(t.title)}</h1>
<div class="muted">${escapeHtml(t.generated)}: ${escapeHtml(r.generatedAtText)}</div>
<div class="cards">
<div class="card"><div class="muted">${escapeHtml(t.expectedMonth)}</div><div class="v">${m(r.totals.expectedPerPeriodMinor)}</div></div>
<div class="card"><div class="muted">${escapeHtml(t.expectedToDate)}</div><div class="v">${m(r.totals.expectedToDateMinor)}</div></div>
<div class="card"><div class="muted">${escapeHtml(t.realised)}</div><div class="v">${m(r.totals.realisedTotalMinor)}</div></div>
</div>
<h2>${escapeHtml(t.chart)}</h2>
${chartSvg(r)}
<h2>${escapeHtml(t.indicators)}</h2>
${
  r.items.length
    ? `<table><thead><tr><th>${escapeHtml(t.stage)}</th><th>${escapeHtml(t.indicator)}</th><th class="n">${escapeHtml(t.baseline)}</th><th class="n">${escapeHtml(t.target)}</th><th class="n">${escapeHtml(t.latest)}</th><th>${escapeHtml(t.status)}</th><th class="n">${escapeHtml(t.expected)}</th><th class="n">${escapeHtml(t.realisedCol)}</th></tr></thead><tbody>${rows}</tbody></table>`
    : `<p class="muted">${escapeHtml(t.none)}</p>`
}
${
  r.promises.length
    ? `<h2>${escapeHtml(t.promises)}</h2><table><thead><tr><th>${escapeHtml(t.service)}</th><th>${escapeHtml(t.linked)}</th><th class="n">${escapeHtml(t.promised)}</th><th class="n">${escapeHtml(t.realisedCol)}</th><th>${escapeHtml(t.status)}</th></tr></thead><tbody>${r.promises
        .map(
          (p) =>
            `<tr><td>${escapeHtml(p.service)}</td><td>${p.indicators.map(escapeHtml).join('、') || '—'}</td><td class="n">${m(p.promisedValueMinor)}</td><td class="n">${m(p.realisedMinor)}</td><td>${escapeHtml(t[`promise_${p.status}`])}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
<h2>${escapeHtml(t.periods)}</h2>
${details}
</body></html>`;
}

// ---------- the files served from it ----------

export type Download = { filename: string; contentType: string; body: Buffer };

function fileBase(r: ValueReport) {
  return `value-report-${r.generatedStamp}`;
}

export function reportHtml(r: ValueReport) {
  return renderReportHtml(r);
}

/** The report as a PDF printed by Chromium from the same HTML as the printable page. */
export async function reportPdf(r: ValueReport): Promise<Download> {
  const body = await htmlToPdf(renderReportHtml(r));
  return { filename: `${fileBase(r)}.pdf`, contentType: 'application/pdf', body };
}
