// People and portraits (issue 18 point 1): the people of the workspace with their to-C stage and tags, a person's
// portrait (why each tag is there), tags by hand, by import and by behaviour rules, and the rules' evaluation.
// Other modules' data is read only through their index.ts: contacts and key-person logins (accounts), portal
// signals (portal), tickets (service-desk), contracts signed (commerce).
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import type { Db } from '../../db/client.js';
import { queryRows } from '../../db/client.js';
import type { Actor } from '../../platform/actor.js';
import { assertCan } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { assertFresh, staleError } from '../../platform/concurrency.js';
import { AppError, invalid, notFound } from '../../platform/errors.js';
import type { JobRow } from '../../platform/jobs.js';
import {
  contactDirectory,
  contactsPage,
  duplicatesInFile,
  findAccount,
  readUploadRows,
  rowsInvalid,
  templateFile,
  type Format,
  type RowProblem,
  type Upload,
} from '../accounts/index.js';
import { purchasesByAccount } from '../commerce/index.js';
import { userNames, workspaceTimeZone } from '../people/index.js';
import { signalCountsByKeyPerson } from '../portal/index.js';
import { ticketCountsByRequester } from '../service-desk/index.js';
import { listConsents, visibleContact } from './outreach.service.js';
import {
  isValidTimeZone,
  MAX_PEOPLE_IMPORT_ROWS,
  normaliseTag,
  peopleImportColumns,
  planRules,
  stageMoveAllowed,
  windowStart,
  type Metric,
  type MoveSource,
  type Rule,
  type RuleKind,
  type TagEvidence,
  type TagSource,
  type ToCStage,
} from './people.domain.js';
import * as repo from './people.repo.js';

export const PEOPLE_RULES_JOB = 'outreach.tag-rules';
export const PEOPLE_RULES_SCHEDULE = { name: 'outreach.tag-rules.nightly', kind: PEOPLE_RULES_JOB, everySeconds: 24 * 3600 };

const personEntity = (contactId: string) => ({ type: 'outreach_person', id: contactId, noun: 'contact.noun' });
const ruleEntity = (id: string) => ({ type: 'outreach_tag_rule', id, noun: 'outreach_tag_rule.noun' });

type TagOut = {
  tag: string;
  source: TagSource;
  ruleId: string | null;
  ruleName: string | null;
  evidence: TagEvidence | null;
  note: string | null;
  by: string | null;
  at: string;
};
const tagOut = (t: repo.TagRow, rules: Map<string, string>, names: Map<string, string>): TagOut => ({
  tag: t.tag,
  source: t.source as TagSource,
  ruleId: t.ruleId,
  ruleName: t.ruleId ? (rules.get(t.ruleId) ?? null) : null,
  evidence: (t.evidence as TagEvidence | null) ?? null,
  note: t.note,
  by: t.createdBy ? (names.get(t.createdBy) ?? null) : null,
  at: t.at.toISOString(),
});

// ---- the people list
export type PeopleQuery = { tag?: string; stage?: string; accountId?: string; q?: string; page: number; pageSize: number };

export async function listPeople(db: Db, actor: Actor, q: PeopleQuery) {
  assertCan(actor, 'outreach.read');
  const ws = actor.workspaceId;
  const audience = { personTags: q.tag ? [q.tag] : [], personStages: q.stage ? [q.stage] : [] };
  const { items, total } = await contactsPage(
    db,
    actor,
    { accountId: q.accountId, q: q.q, narrow: (col) => repo.personFilter(ws, audience, col) },
    { limit: q.pageSize, offset: (q.page - 1) * q.pageSize },
  );
  const ids = items.map((i) => i.id);
  const [profiles, tags] = await Promise.all([repo.profiles(db, ws, ids), repo.tagsOf(db, ws, ids)]);
  const tagsByPerson = new Map<string, { tag: string; sources: TagSource[] }[]>();
  for (const t of tags) {
    const list = tagsByPerson.get(t.contactId) ?? [];
    const found = list.find((x) => x.tag === t.tag);
    if (found) {
      if (!found.sources.includes(t.source as TagSource)) found.sources.push(t.source as TagSource);
    } else list.push({ tag: t.tag, sources: [t.source as TagSource] });
    tagsByPerson.set(t.contactId, list);
  }
  return {
    total,
    items: items.map((i) => ({
      contactId: i.id,
      name: i.name,
      title: i.title,
      email: i.email,
      isKeyPerson: i.isKeyPerson,
      accountId: i.accountId,
      accountName: i.accountName,
      stage: (profiles.get(i.id)?.toCStage ?? null) as ToCStage | null,
      tags: tagsByPerson.get(i.id) ?? [],
    })),
  };
}

export async function listTags(db: Db, actor: Actor) {
  assertCan(actor, 'outreach.read');
  return { items: await repo.tagCounts(db, actor.workspaceId) };
}

// ---- the portrait
export async function portrait(db: Db, actor: Actor, contactId: string) {
  assertCan(actor, 'outreach.read');
  const ws = actor.workspaceId;
  const c = await visibleContact(db, actor, contactId);
  const [account, profile, moves, tags, rules, consents, touches] = await Promise.all([
    findAccount(db, ws, c.accountId),
    repo.findProfile(db, ws, contactId),
    repo.stageMoves(db, ws, contactId),
    repo.tagsOf(db, ws, [contactId]),
    repo.listRules(db, ws),
    listConsents(db, actor, contactId),
    repo.touchesOf(db, ws, contactId),
  ]);
  const ruleNames = new Map(rules.map((r) => [r.id, r.name]));
  const names = await userNames(db, ws, [...tags.map((t) => t.createdBy), ...moves.map((m) => m.userId)]);
  return {
    contact: {
      id: c.id,
      name: c.name,
      title: c.title,
      email: c.email,
      phone: c.phone,
      isKeyPerson: c.isKeyPerson,
    },
    account: { id: c.accountId, name: account?.name ?? '', toCStage: (account?.toCStage ?? null) as ToCStage | null },
    stage: (profile?.toCStage ?? null) as ToCStage | null,
    timeZone: profile?.timeZone ?? null,
    version: profile?.version ?? 1,
    stageHistory: moves.map((m) => ({
      from: m.fromStage as ToCStage | null,
      to: m.toStage as ToCStage | null,
      source: m.source as MoveSource,
      ruleId: m.ruleId,
      ruleName: m.ruleId ? (ruleNames.get(m.ruleId) ?? null) : null,
      by: m.userId ? (names.get(m.userId) ?? null) : null,
      note: m.note,
      at: m.at.toISOString(),
    })),
    tags: tags.map((t) => tagOut(t, ruleNames, names)),
    consents: consents.current,
    touches: {
      total: touches.total,
      items: touches.items.map((t) => ({ campaignId: t.campaignId, campaignName: t.campaignName, channel: t.channel, at: t.at.toISOString() })),
    },
  };
}

// ---- stage and time zone (staff)
export type ProfileInput = { stage: ToCStage | null; timeZone: string | null; note?: string | null };

export async function putProfile(db: Db, actor: Actor, contactId: string, input: ProfileInput, expectedVersion?: number) {
  assertCan(actor, 'outreach.consent');
  if (input.timeZone !== null && !isValidTimeZone(input.timeZone)) {
    throw invalid('error.timezone', { value: input.timeZone }, [{ field: 'timeZone', message: 'error.timezone' }]);
  }
  await visibleContact(db, actor, contactId);
  const ws = actor.workspaceId;
  await db.transaction(async (tx) => {
    const p = await repo.lockProfile(tx, ws, contactId);
    await assertFresh(tx, ws, personEntity(contactId), p.version, expectedVersion);
    const moved = stageMoveAllowed(p.toCStage, input.stage, 'staff');
    const version = await repo.saveProfile(tx, ws, contactId, { toCStage: input.stage, timeZone: input.timeZone }, expectedVersion);
    if (version === null) throw await staleError(tx, ws, personEntity(contactId));
    if (moved) {
      await repo.insertStageMove(tx, {
        workspaceId: ws,
        contactId,
        fromStage: p.toCStage,
        toStage: input.stage,
        source: 'staff',
        userId: actor.userId,
        note: input.note ?? null,
      });
    }
    await recordAudit(tx, actor, {
      action: 'outreach_person.update',
      entityType: 'outreach_person',
      entityId: contactId,
      before: { stage: p.toCStage, timeZone: p.timeZone },
      after: { stage: input.stage, timeZone: input.timeZone },
    });
  });
  return portrait(db, actor, contactId);
}

// ---- manual tags
export async function addTag(db: Db, actor: Actor, contactId: string, input: { tag: string; note?: string | null }) {
  assertCan(actor, 'outreach.consent');
  const tag = normaliseTag(input.tag);
  if (!tag) throw invalid('outreach.tag_invalid', {}, [{ field: 'tag', message: 'outreach.tag_invalid' }]);
  await visibleContact(db, actor, contactId);
  const ws = actor.workspaceId;
  await db.transaction(async (tx) => {
    const added = await repo.insertTag(tx, { workspaceId: ws, contactId, tag, source: 'manual', note: input.note ?? null, createdBy: actor.userId });
    if (!added) throw new AppError('conflict', 'outreach.tag_exists', { tag });
    await recordAudit(tx, actor, { action: 'outreach_person.tag', entityType: 'outreach_person', entityId: contactId, after: { tag } });
  });
  return (await portrait(db, actor, contactId)).tags;
}

export async function removeTag(db: Db, actor: Actor, contactId: string, rawTag: string, source: 'manual' | 'import') {
  assertCan(actor, 'outreach.consent');
  await visibleContact(db, actor, contactId);
  const tag = normaliseTag(rawTag) ?? rawTag;
  await db.transaction(async (tx) => {
    if (!(await repo.deleteTag(tx, actor.workspaceId, contactId, tag, source))) throw notFound('outreach_tag.noun');
    await recordAudit(tx, actor, { action: 'outreach_person.untag', entityType: 'outreach_person', entityId: contactId, before: { tag, source } });
  });
  return (await portrait(db, actor, contactId)).tags;
}

// ---- import
export async function importTemplate(actor: Actor, format: Format) {
  assertCan(actor, 'outreach.manage');
  return templateFile('people', actor.locale === 'en' ? 'People' : '人群', peopleImportColumns, format, actor.locale);
}

export type ImportResult = { rows: number; people: number; tags: number; stagesMoved: number };

/**
 * Tags (and stages) from a CSV/XLSX, all rows or none: each row names a live contact of the workspace by id or
 * email (an address two contacts share is refused: name the id), its tags and optionally a stage, which only
 * moves forward. A tag the person carries from an import already is refreshed, not doubled.
 */
export async function importPeople(db: Db, actor: Actor, read: () => Promise<Upload>): Promise<ImportResult> {
  assertCan(actor, 'outreach.manage');
  const ws = actor.workspaceId;
  const upload = await read();
  const { records, problems } = await readUploadRows(upload, peopleImportColumns, MAX_PEOPLE_IMPORT_ROWS);
  const dir = await contactDirectory(db, ws);
  const byId = new Map(dir.map((d) => [d.id, d]));
  const byEmail = new Map<string, string[]>();
  for (const d of dir) if (d.email) byEmail.set(d.email.toLowerCase(), [...(byEmail.get(d.email.toLowerCase()) ?? []), d.id]);
  const resolved = new Map<number, string>();
  const rows: { row: number; contactId: string; tags: string[]; stage: ToCStage | null }[] = [];
  const problem = (row: number, field: string, key: string, params: Record<string, string | number> = {}): RowProblem => ({
    row,
    field,
    key,
    params,
  });
  for (const r of records) {
    const v = r.values as { contactId?: string; email?: string; tags?: string[]; stage?: ToCStage };
    let contactId: string | undefined;
    if (v.contactId) {
      contactId = byId.has(v.contactId) ? v.contactId : undefined;
      if (!contactId) problems.push(problem(r.row, 'contactId', 'import.contact_unknown', { value: v.contactId }));
    } else if (v.email) {
      const found = byEmail.get(v.email.trim().toLowerCase()) ?? [];
      if (found.length === 1) contactId = found[0];
      else if (found.length) problems.push(problem(r.row, 'email', 'import.email_ambiguous', { value: v.email }));
      else problems.push(problem(r.row, 'email', 'import.contact_unknown', { value: v.email }));
    } else problems.push(problem(r.row, 'email', 'import.cell.required'));
    const tags: string[] = [];
    for (const raw of v.tags ?? []) {
      const t = normaliseTag(raw);
      if (t) tags.push(t);
      else problems.push(problem(r.row, 'tags', 'import.tag_invalid', { value: raw }));
    }
    if (!tags.length && !v.stage && !problems.some((p) => p.row === r.row)) problems.push(problem(r.row, 'tags', 'import.cell.required'));
    if (contactId) {
      resolved.set(r.row, contactId);
      rows.push({ row: r.row, contactId, tags: [...new Set(tags)], stage: v.stage ?? null });
    }
  }
  problems.push(
    ...duplicatesInFile(
      records.map((r) => ({ row: r.row, values: { contactId: resolved.get(r.row) } })),
      (v) => v.contactId as string | undefined,
      'email',
    ),
  );
  if (problems.length) throw rowsInvalid(problems, peopleImportColumns, actor.locale);

  const note = upload.filename;
  return db.transaction(async (tx) => {
    const at = new Date();
    const tagRows = rows.flatMap((r) =>
      r.tags.map((tag) => ({ workspaceId: ws, contactId: r.contactId, tag, source: 'import', note, createdBy: actor.userId, at })),
    );
    for (let i = 0; i < tagRows.length; i += 500) await repo.upsertImportTags(tx, tagRows.slice(i, i + 500));
    let stagesMoved = 0;
    for (const r of rows) {
      if (!r.stage) continue;
      if (await moveStage(tx, ws, r.contactId, r.stage, { source: 'import', note, userId: actor.userId })) stagesMoved++;
    }
    await recordAudit(tx, actor, {
      action: 'outreach_person.import',
      entityType: 'outreach_person',
      after: { file: upload.filename, rows: records.length, tags: tagRows.length, stagesMoved },
    });
    return { rows: records.length, people: rows.length, tags: tagRows.length, stagesMoved };
  });
}

/** Moves a person's stage forward by an import or a rule (never back), with its history row; false when it stays. */
async function moveStage(
  tx: Db,
  workspaceId: string,
  contactId: string,
  to: ToCStage,
  by: { source: Exclude<MoveSource, 'staff'>; note?: string | null; userId?: string | null; ruleId?: string | null },
) {
  const p = await repo.lockProfile(tx, workspaceId, contactId);
  if (!stageMoveAllowed(p.toCStage, to, by.source)) return false;
  await repo.saveProfile(tx, workspaceId, contactId, { toCStage: to });
  await repo.insertStageMove(tx, {
    workspaceId,
    contactId,
    fromStage: p.toCStage,
    toStage: to,
    source: by.source,
    ruleId: by.ruleId ?? null,
    userId: by.userId ?? null,
    note: by.note ?? null,
  });
  return true;
}

// ---- rules
export type RuleInput = { name: string; kind: RuleKind; minCount: number; days: number; tag: string; stage: ToCStage | null; enabled: boolean };

const ruleOut = (r: repo.RuleRow) => ({
  id: r.id,
  name: r.name,
  kind: r.kind as RuleKind,
  minCount: r.minCount,
  days: r.days,
  tag: r.tag,
  stage: r.stage as ToCStage | null,
  enabled: r.enabled,
  lastRunAt: r.lastRunAt?.toISOString() ?? null,
  version: r.version,
  updatedAt: r.updatedAt.toISOString(),
});

function checkRule<T extends Partial<RuleInput>>(input: T): T {
  if (input.tag === undefined) return input;
  const tag = normaliseTag(input.tag);
  if (!tag) throw invalid('outreach.tag_invalid', {}, [{ field: 'tag', message: 'outreach.tag_invalid' }]);
  return { ...input, tag };
}

async function loadRule(db: Db, actor: Actor, id: string, opts: { forUpdate?: boolean } = {}) {
  const r = await repo.findRule(db, actor.workspaceId, id, opts);
  if (!r) throw notFound('outreach_tag_rule.noun');
  return r;
}

export async function listRules(db: Db, actor: Actor) {
  assertCan(actor, 'outreach.read');
  return { items: (await repo.listRules(db, actor.workspaceId)).map(ruleOut) };
}

export async function getRule(db: Db, actor: Actor, id: string) {
  assertCan(actor, 'outreach.read');
  return ruleOut(await loadRule(db, actor, id));
}

export async function createRule(db: Db, actor: Actor, input: RuleInput) {
  assertCan(actor, 'outreach.manage');
  const v = checkRule(input);
  return db.transaction(async (tx) => {
    const row = await repo.insertRule(tx, { ...v, workspaceId: actor.workspaceId, createdBy: actor.userId });
    await recordAudit(tx, actor, { action: 'outreach_tag_rule.create', entityType: 'outreach_tag_rule', entityId: row.id, after: v });
    return ruleOut(row);
  });
}

/** Changes a rule from the version it was read at; its tags follow on the next evaluation (nightly or run now). */
export async function updateRule(db: Db, actor: Actor, id: string, input: Partial<RuleInput>, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  const v = checkRule(input);
  return db.transaction(async (tx) => {
    const before = await loadRule(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, ruleEntity(id), before.version, expectedVersion);
    const row = await repo.updateRule(tx, actor.workspaceId, id, v, expectedVersion);
    if (!row) throw await staleError(tx, actor.workspaceId, ruleEntity(id));
    await recordAudit(tx, actor, {
      action: 'outreach_tag_rule.update',
      entityType: 'outreach_tag_rule',
      entityId: id,
      before: ruleOut(before),
      after: v,
    });
    return ruleOut(row);
  });
}

/** Deletes a rule and, with it, the tags it set (its stage moves stay in the history). */
export async function deleteRule(db: Db, actor: Actor, id: string, expectedVersion?: number) {
  assertCan(actor, 'outreach.manage');
  await db.transaction(async (tx) => {
    const before = await loadRule(tx, actor, id, { forUpdate: true });
    await assertFresh(tx, actor.workspaceId, ruleEntity(id), before.version, expectedVersion);
    await repo.deleteRule(tx, actor.workspaceId, id);
    await recordAudit(tx, actor, { action: 'outreach_tag_rule.delete', entityType: 'outreach_tag_rule', entityId: id, before: ruleOut(before) });
  });
}

export async function runRules(db: Db, actor: Actor) {
  assertCan(actor, 'outreach.manage');
  const result = await evaluateRules(db, actor.workspaceId, new Date());
  await recordAudit(db, actor, { action: 'outreach_tag_rule.run', entityType: 'outreach_tag_rule', after: result });
  return result;
}

// ---- evaluation
const addMetric = (into: Map<string, Metric>, contactId: string, count: number, last: Date | null) => {
  const m = into.get(contactId);
  if (!m) return into.set(contactId, { count, last });
  m.count += count;
  if (last && (!m.last || last > m.last)) m.last = last;
  return into;
};
const asDate = (v: Date | string | null) => (v === null ? null : v instanceof Date ? v : new Date(v));

/** What each person did in one rule's window (people without an event are absent). */
async function metricsOf(db: Db, workspaceId: string, rule: Rule, dir: Awaited<ReturnType<typeof contactDirectory>>, zone: string, now: Date) {
  const since = windowStart(now, rule.days);
  const out = new Map<string, Metric>();
  const byKp = new Map(dir.filter((d) => d.keyPersonId).map((d) => [d.keyPersonId!, d.id]));
  if (rule.kind === 'portal_views' || rule.kind === 'portal_requests') {
    for (const r of await signalCountsByKeyPerson(db, workspaceId, rule.kind === 'portal_views' ? 'view' : 'request', since)) {
      const c = byKp.get(r.keyPersonId);
      if (c) addMetric(out, c, Number(r.count), asDate(r.last));
    }
  } else if (rule.kind === 'tickets') {
    const byEmail = new Map<string, string[]>();
    for (const d of dir) if (d.email) byEmail.set(d.email.toLowerCase(), [...(byEmail.get(d.email.toLowerCase()) ?? []), d.id]);
    for (const r of await ticketCountsByRequester(db, workspaceId, since)) {
      const people = r.keyPersonId ? [byKp.get(r.keyPersonId)].filter((x): x is string => !!x) : (byEmail.get(r.email ?? '') ?? []);
      for (const c of people) addMetric(out, c, Number(r.count), asDate(r.last));
    }
  } else {
    const sinceDay = DateTime.fromJSDate(since, { zone }).toISODate()!;
    const byAccount = new Map<string, string[]>();
    for (const d of dir) byAccount.set(d.accountId, [...(byAccount.get(d.accountId) ?? []), d.id]);
    for (const r of await purchasesByAccount(db, workspaceId, sinceDay)) {
      // a signing day is a date of the workspace's calendar: its start in the workspace's zone
      const last = DateTime.fromISO(r.last, { zone }).toJSDate();
      for (const c of byAccount.get(r.accountId) ?? []) addMetric(out, c, Number(r.count), last);
    }
  }
  return out;
}

export type RunResult = { rules: number; added: number; refreshed: number; removed: number; stagesMoved: number };

/**
 * Evaluates the workspace's rules now: each matching person gets (or keeps, with fresh evidence) the rule's tag,
 * a rule tag whose behaviour no longer matches goes, and a rule's stage moves the person forward (history
 * source 'rule'). Manual and imported tags are never touched.
 */
export async function evaluateRules(db: Db, workspaceId: string, now: Date): Promise<RunResult> {
  const rows = await repo.listRules(db, workspaceId);
  const held = await repo.heldRuleTags(db, workspaceId);
  if (!rows.length && !held.length) return { rules: 0, added: 0, refreshed: 0, removed: 0, stagesMoved: 0 };
  const rules: Rule[] = rows.map((r) => ({ ...r, kind: r.kind as RuleKind, stage: r.stage as ToCStage | null }));
  const [dir, zone] = await Promise.all([contactDirectory(db, workspaceId), workspaceTimeZone(db, workspaceId)]);
  const metrics = new Map<string, Map<string, Metric>>();
  for (const rule of rules) if (rule.enabled) metrics.set(rule.id, await metricsOf(db, workspaceId, rule, dir, zone, now));
  const plan = planRules(rules, metrics, held, now);
  const heldKeys = new Set(held.map((h) => `${h.contactId}\u0000${h.ruleId}\u0000${h.tag}`));
  const added = plan.set.filter((s) => !heldKeys.has(`${s.contactId}\u0000${s.ruleId}\u0000${s.tag}`)).length;
  const names = new Map(rows.map((r) => [r.id, r.name]));
  let stagesMoved = 0;
  await db.transaction(async (tx) => {
    await repo.upsertRuleTags(tx, workspaceId, plan.set);
    await repo.deleteRuleTags(tx, workspaceId, plan.remove);
    const order = [...plan.stages].sort(([a], [b]) => (a < b ? -1 : 1)); // one lock order for every run
    for (const [contactId, s] of order) {
      if (await moveStage(tx, workspaceId, contactId, s.stage, { source: 'rule', ruleId: s.ruleId, note: names.get(s.ruleId) ?? null })) {
        stagesMoved++;
      }
    }
    await repo.markRulesRun(tx, workspaceId, now);
  });
  return { rules: rules.filter((r) => r.enabled).length, added, refreshed: plan.set.length - added, removed: plan.remove.length, stagesMoved };
}

/** Nightly: every active workspace's rules (a workspace without rules costs two small reads). */
export function peopleRulesHandler() {
  return async (db: Db, _job: JobRow) => {
    const wss = await queryRows<{ id: string }>(db, sql`select id from workspaces where status = 'active'`);
    for (const ws of wss) await evaluateRules(db, ws.id, new Date());
  };
}
