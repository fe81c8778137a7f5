import { currentLocale } from '../../i18n';
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
  return null;
}
