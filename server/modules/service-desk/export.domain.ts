/**
 * A selection of tickets as a spreadsheet (the service desk's "export selected"): the columns in the
 * reader's language, every status, severity, kind and channel by its label, every time in the
 * workspace's zone as `YYYY-MM-DD HH:mm`. Pure: the service reads the rows and writes the file.
 */
import type { OutCell } from '../../platform/cells.js';
import type { Locale } from '../../platform/i18n.js';
import { formatDateTime } from '../../platform/time.js';
import { kindNames, type Channel, type Severity, type Words } from './dispatch.domain.js';
import { statusNames } from './tickets.domain.js';

export const severityNames: Record<Severity, Words> = {
  critical: { 'zh-CN': '紧急', en: 'critical' },
  high: { 'zh-CN': '高', en: 'high' },
  medium: { 'zh-CN': '中', en: 'medium' },
  low: { 'zh-CN': '低', en: 'low' },
};
export const channelNames: Record<Channel, Words> = {
  portal: { 'zh-CN': '客户门户', en: 'customer portal' },
  phone: { 'zh-CN': '电话', en: 'phone' },
  email: { 'zh-CN': '邮件', en: 'email' },
  meeting: { 'zh-CN': '会议', en: 'meeting' },
  staff: { 'zh-CN': '内部录入', en: 'entered by staff' },
};

export type ExportedTicket = {
  number: number;
  title: string;
  accountName: string;
  tier: string;
  kind: string;
  severity: string;
  priority: string;
  status: string;
  channel: string;
  ownerName: string | null;
  teamName: string | null;
  requesterName: string;
  createdAt: Date;
  updatedAt: Date;
  nextDueAt: Date | null;
  breached: boolean;
};

type Col = { label: Words; cell: (t: ExportedTicket, locale: Locale, zone: string) => OutCell };
const word = (names: Record<string, Words>, v: string, locale: Locale) => names[v]?.[locale] ?? v;
const moment = (d: Date | null, zone: string) => (d ? formatDateTime(new Date(d), zone) : null);

export const ticketColumns: Col[] = [
  { label: { 'zh-CN': '工单号', en: 'Ticket no.' }, cell: (t) => t.number },
  { label: { 'zh-CN': '标题', en: 'Title' }, cell: (t) => t.title },
  { label: { 'zh-CN': '客户', en: 'Account' }, cell: (t) => t.accountName },
  { label: { 'zh-CN': '分级', en: 'Tier' }, cell: (t) => t.tier },
  { label: { 'zh-CN': '类型', en: 'Kind' }, cell: (t, l) => word(kindNames, t.kind, l) },
  { label: { 'zh-CN': '严重程度', en: 'Severity' }, cell: (t, l) => word(severityNames, t.severity, l) },
  { label: { 'zh-CN': '优先级', en: 'Priority' }, cell: (t) => t.priority },
  { label: { 'zh-CN': '状态', en: 'Status' }, cell: (t, l) => word(statusNames, t.status, l) },
  { label: { 'zh-CN': '来源渠道', en: 'Channel' }, cell: (t, l) => word(channelNames, t.channel, l) },
  { label: { 'zh-CN': '处理人', en: 'Owner' }, cell: (t) => t.ownerName },
  { label: { 'zh-CN': '团队', en: 'Team' }, cell: (t) => t.teamName },
  { label: { 'zh-CN': '提出人', en: 'Requester' }, cell: (t) => t.requesterName },
  { label: { 'zh-CN': '创建时间', en: 'Created' }, cell: (t, _l, z) => moment(t.createdAt, z) },
  { label: { 'zh-CN': '最近更新', en: 'Last updated' }, cell: (t, _l, z) => moment(t.updatedAt, z) },
  { label: { 'zh-CN': 'SLA 到期', en: 'SLA due' }, cell: (t, _l, z) => moment(t.nextDueAt, z) },
  {
    label: { 'zh-CN': '已超时', en: 'Breached' },
    cell: (t, l) => (l === 'en' ? (t.breached ? 'yes' : 'no') : t.breached ? '是' : '否'),
  },
];

/** The header and the rows of the file: one row per ticket, in the order given. */
export function ticketSheet(rows: ExportedTicket[], locale: Locale, zone: string): { header: string[]; rows: OutCell[][] } {
  return {
    header: ticketColumns.map((c) => c.label[locale]),
    rows: rows.map((t) => ticketColumns.map((c) => c.cell(t, locale, zone))),
  };
}
