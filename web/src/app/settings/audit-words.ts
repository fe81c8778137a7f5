import { currentLocale, i18n } from '../../i18n';
import { formatDateTime, formatMoney } from '../format';
import { auWordsEn } from '../../i18n/audit.en';
import { auWords } from '../../i18n/audit.zh-CN';

type Words = typeof auWordsEn;
const words = (): Words => (currentLocale() === 'en' ? auWordsEn : auWords);
const nounOf = (w: Words, key: string) => (w.noun as Record<string, string>)[key];
const verbOf = (w: Words, key: string) => (w.verb as Record<string, string>)[key];

/**
 * An audit action (`ticket.create`, `portal.demand.status`, `account.tier_override.clear`) in words:
 * what was acted on (the longest known prefix) and what was done — never the key itself.
 */
export function auditActionLabel(action: string): string {
  const w = words();
  const parts = action.split('.');
  for (let i = parts.length; i >= 1; i--) {
    const noun = nounOf(w, parts.slice(0, i).join('_'));
    if (!noun) continue;
    const rest = parts.slice(i);
    if (!rest.length) return noun;
    const done = rest.map((r) => verbOf(w, r) ?? w.other).join(' · ');
    return `${noun} · ${done}`;
  }
  return w.other;
}

/** What kind of record an entry is about, in words. */
export function auditEntityLabel(entityType: string): string {
  const w = words();
  return nounOf(w, entityType) ?? w.other;
}

/** Who acted, when the entry has no name. */
export function auditActorLabel(kind: string): string {
  const w = words();
  return (w.actor as Record<string, string>)[kind] ?? w.other;
}

/** The console page an entry's record opens on, when it has one. */
export function auditEntityLink(entityType: string, id: string | null): string | null {
  if (!id) return null;
  if (entityType === 'account') return `/accounts/${id}`;
  if (entityType === 'ticket') return `/service-desk/tickets/${id}`;
  if (entityType === 'meeting') return `/meetings/${id}`;
  if (entityType === 'opportunity') return `/opportunities?open=${id}`;
  if (entityType === 'outreach_person') return `/outreach/people/${id}`;
  return null;
}

const camel = (k: string) => k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** A field of a before/after (`ownerId`, `starts_at`) in words; an unknown one by its name made readable. */
export function auditFieldLabel(field: string): string {
  const w = words();
  const known = (w.field as Record<string, string>)[camel(field)];
  if (known) return known;
  // not in the list: split the name into words rather than show `someFieldId`
  return camel(field)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/\b(Id|Minor)$/, '')
    .trim()
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());
}

/** Which vocabulary a field's value comes from: the record's own first, then the shared ones. */
const vocabularies: Record<string, string> = {
  'ticket.status': 'sd.status',
  'ticket.severity': 'sd.severity',
  'ticket.kind': 'sd.kind',
  'ticket.channel': 'sd.channel',
  'meeting.status': 'mt.status',
  'meeting.kind': 'mt.kind',
  'meeting.cause': 'mt.cause',
  'action_item.status': 'mt.actionStatus',
  'value_add_task.status': 'va.taskStatus',
  'booking.status': 'va.bookingStatus',
  'opportunity.stage': 'va.stage',
  'opportunity.source': 'va.source',
  'portal_demand.status': 'au.demandStatus',
  'follow_up.status': 'au.followUpStatus',
  tier: 'enum.tier',
  stage: 'enum.stage',
  toCStage: 'enum.toCStage',
  ladder: 'enum.ladder',
  role: 'enum.role',
  side: 'enum.side',
  severity: 'sd.severity',
  channel: 'enum.channel',
  band: 'kp.band',
  requesterKind: 'au.party',
  lastPublicFrom: 'au.party',
  authorKind: 'au.party',
  actorKind: 'au.party',
};

/** Bookkeeping a person has no use for in a before/after: left out of the table. */
const HIDDEN = new Set(['id', 'workspaceId', 'dispatchRule', 'passwordHash', 'searchText', 'sequence', 'version']);

/** The fields of a before/after worth showing. */
export const auditShownField = (field: string) => !HIDDEN.has(camel(field));

const isMoment = (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(s);

/**
 * A before/after value as a person reads it: enum values by their label, moments in the workspace's
 * zone, amounts in fen as money, yes/no, lists joined — never a code or an ISO string.
 */
export function auditValueText(entityType: string, field: string, value: unknown): string {
  const w = words();
  if (value === undefined) return '';
  if (value === null || value === '') return w.empty;
  const f = camel(field);
  if (typeof value === 'boolean') return value ? w.yes : w.no;
  if (typeof value === 'number') return f.endsWith('Minor') ? formatMoney(value, currentLocale()) : String(value);
  if (typeof value === 'string') {
    const group = vocabularies[`${entityType}.${f}`] ?? vocabularies[f];
    const key = group && `${group}.${value}`;
    if (key && i18n.exists(key)) return String(i18n.t(key as never));
    if (isMoment(value)) return formatDateTime(value);
    return value;
  }
  if (Array.isArray(value)) {
    if (value.every((x) => typeof x !== 'object' || x === null))
      return value.map((x) => auditValueText(entityType, field, x)).join(currentLocale() === 'en' ? ', ' : '、');
    return value.map((x) => auditValueText(entityType, field, x)).join('\n\n');
  }
  // a nested record (an SLA policy, a setting): each of its fields by its label, one a line
  return Object.entries(value as Record<string, unknown>)
    .filter(([k]) => auditShownField(k))
    .map(([k, v]) => `${auditFieldLabel(k)}: ${auditValueText(entityType, k, v)}`)
    .join('\n');
}
