// Email in: queries only. Every query of a workspace's data takes its id; the two that do not (the gateway
// routing a recipient address, the poll listing enabled mailboxes) are global by nature and say so.
import { and, asc, count, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { inboundEmailFiles, inboundEmails, supportMailboxes, ticketEmailMessages, ticketEmailThreads } from './email-in.table.js';
import { tickets } from './tickets.table.js';

export type MailboxRow = typeof supportMailboxes.$inferSelect;
export type InboundRow = typeof inboundEmails.$inferSelect;
export type ThreadRow = typeof ticketEmailThreads.$inferSelect;

export async function getMailbox(db: Db, workspaceId: string): Promise<MailboxRow | null> {
  const [row] = await db.select().from(supportMailboxes).where(eq(supportMailboxes.workspaceId, workspaceId));
  return row ?? null;
}

/** Bumps `version`; with `expectedVersion` only if the stored row still is that version (0 = none yet; else undefined). */
export async function upsertMailbox(
  db: Db,
  workspaceId: string,
  values: Omit<typeof supportMailboxes.$inferInsert, 'workspaceId'>,
  expectedVersion?: number,
) {
  const [row] = await db
    .insert(supportMailboxes)
    .values({ ...values, workspaceId, updatedAt: new Date() })
    .onConflictDoUpdate({
      target: supportMailboxes.workspaceId,
      set: { ...values, updatedAt: new Date(), version: sql`${supportMailboxes.version} + 1` },
      ...(expectedVersion === undefined ? {} : { setWhere: eq(supportMailboxes.version, expectedVersion) }),
    })
    .returning();
  return row;
}

/** The workspace whose support address this is, any workspace (another's is taken: addresses are unique). */
export async function mailboxByAddress(db: Db, address: string): Promise<MailboxRow | null> {
  const [row] = await db.select().from(supportMailboxes).where(sql`lower(${supportMailboxes.address}) = ${address.trim().toLowerCase()}`);
  return row ?? null;
}

/** Global: every enabled mailbox with IMAP set up (the poll job). */
export async function pollableMailboxes(db: Db): Promise<MailboxRow[]> {
  return db
    .select()
    .from(supportMailboxes)
    .where(and(eq(supportMailboxes.enabled, true), sql`${supportMailboxes.imapHost} is not null`));
}

export async function markPolled(db: Db, workspaceId: string, at: Date, error: string | null) {
  await db.update(supportMailboxes).set({ lastPolledAt: at, lastError: error }).where(eq(supportMailboxes.workspaceId, workspaceId));
}

export async function inboundByMessageId(db: Db, workspaceId: string, messageId: string) {
  const [row] = await db
    .select({ id: inboundEmails.id })
    .from(inboundEmails)
    .where(and(eq(inboundEmails.workspaceId, workspaceId), eq(inboundEmails.messageId, messageId)));
  return row ?? null;
}

/** Records a mail once per Message-ID; null when it was already recorded (a second delivery, a re-poll). */
export async function insertInbound(db: Db, values: typeof inboundEmails.$inferInsert): Promise<InboundRow | null> {
  const [row] = await db.insert(inboundEmails).values(values).onConflictDoNothing().returning();
  return row ?? null;
}

export async function updateInbound(db: Db, workspaceId: string, id: string, values: Partial<typeof inboundEmails.$inferInsert>) {
  const [row] = await db
    .update(inboundEmails)
    .set(values)
    .where(and(eq(inboundEmails.workspaceId, workspaceId), eq(inboundEmails.id, id)))
    .returning();
  return row;
}

export async function findInbound(db: Db, workspaceId: string, id: string, opts: { forUpdate?: boolean } = {}) {
  const q = db
    .select()
    .from(inboundEmails)
    .where(and(eq(inboundEmails.workspaceId, workspaceId), eq(inboundEmails.id, id)));
  const [row] = opts.forUpdate ? await q.for('update') : await q;
  return row ?? null;
}

/** Mails from this sender since then (the per-sender cap). */
export async function countFromSender(db: Db, workspaceId: string, email: string, since: Date) {
  const [{ n }] = await db
    .select({ n: count() })
    .from(inboundEmails)
    .where(
      and(
        eq(inboundEmails.workspaceId, workspaceId),
        sql`lower(${inboundEmails.fromEmail}) = ${email.toLowerCase()}`,
        gt(inboundEmails.receivedAt, since),
      ),
    );
  return Number(n);
}

export async function listInbound(db: Db, workspaceId: string, q: { status: string; limit: number; offset: number }) {
  const where = and(eq(inboundEmails.workspaceId, workspaceId), eq(inboundEmails.status, q.status));
  const files = db
    .select({ inboundId: inboundEmailFiles.inboundId, n: count().as('n') })
    .from(inboundEmailFiles)
    .where(eq(inboundEmailFiles.workspaceId, workspaceId))
    .groupBy(inboundEmailFiles.inboundId)
    .as('files');
  const [items, [{ total }]] = [
    await db
      .select({
        id: inboundEmails.id,
        fromEmail: inboundEmails.fromEmail,
        fromName: inboundEmails.fromName,
        subject: inboundEmails.subject,
        body: inboundEmails.body,
        status: sql<'triage' | 'ticketed' | 'ignored'>`${inboundEmails.status}`,
        reason: inboundEmails.reason,
        source: inboundEmails.source,
        ticketId: inboundEmails.ticketId,
        ticketNumber: tickets.number,
        receivedAt: inboundEmails.receivedAt,
        decidedAt: inboundEmails.decidedAt,
        skippedFiles: inboundEmails.skippedFiles,
        fileCount: sql<number>`coalesce(${files.n}, 0)::int`,
      })
      .from(inboundEmails)
      .leftJoin(tickets, and(eq(tickets.id, inboundEmails.ticketId), eq(tickets.workspaceId, inboundEmails.workspaceId)))
      .leftJoin(files, eq(files.inboundId, inboundEmails.id))
      .where(where)
      .orderBy(desc(inboundEmails.receivedAt), desc(inboundEmails.id))
      .limit(q.limit)
      .offset(q.offset),
    await db.select({ total: count() }).from(inboundEmails).where(where),
  ];
  return { items, total: Number(total) };
}

export async function insertInboundFiles(db: Db, rows: (typeof inboundEmailFiles.$inferInsert)[]) {
  if (rows.length) await db.insert(inboundEmailFiles).values(rows);
}

export async function inboundFiles(db: Db, workspaceId: string, inboundId: string) {
  return db
    .select()
    .from(inboundEmailFiles)
    .where(and(eq(inboundEmailFiles.workspaceId, workspaceId), eq(inboundEmailFiles.inboundId, inboundId)));
}

export async function deleteInboundFiles(db: Db, workspaceId: string, inboundId: string) {
  await db.delete(inboundEmailFiles).where(and(eq(inboundEmailFiles.workspaceId, workspaceId), eq(inboundEmailFiles.inboundId, inboundId)));
}

/** Tickets whose thread holds one of these Message-IDs, in the order of the ids given. */
export async function ticketsByMessageIds(db: Db, workspaceId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const rows = await db
    .select({ ticketId: ticketEmailMessages.ticketId, messageId: ticketEmailMessages.messageId })
    .from(ticketEmailMessages)
    .where(and(eq(ticketEmailMessages.workspaceId, workspaceId), inArray(ticketEmailMessages.messageId, ids)));
  const by = new Map(rows.map((r) => [r.messageId, r.ticketId]));
  return [...new Set(ids.map((i) => by.get(i)).filter((x): x is string => !!x))];
}

export async function ticketIdByNumber(db: Db, workspaceId: string, number: number): Promise<string | null> {
  const [row] = await db
    .select({ id: tickets.id })
    .from(tickets)
    .where(and(eq(tickets.workspaceId, workspaceId), eq(tickets.number, number)));
  return row?.id ?? null;
}

export async function addThreadMessage(db: Db, values: typeof ticketEmailMessages.$inferInsert) {
  await db.insert(ticketEmailMessages).values(values).onConflictDoNothing();
}

/** The thread's Message-IDs, oldest first (our References header). */
export async function threadMessageIds(db: Db, workspaceId: string, ticketId: string): Promise<string[]> {
  const rows = await db
    .select({ messageId: ticketEmailMessages.messageId })
    .from(ticketEmailMessages)
    .where(and(eq(ticketEmailMessages.workspaceId, workspaceId), eq(ticketEmailMessages.ticketId, ticketId)))
    .orderBy(asc(ticketEmailMessages.createdAt), asc(ticketEmailMessages.id));
  return rows.map((r) => r.messageId);
}

/** The newest Message-ID that came in on the thread (what our reply answers). */
export async function lastIncomingId(db: Db, workspaceId: string, ticketId: string): Promise<string | null> {
  const [row] = await db
    .select({ messageId: ticketEmailMessages.messageId })
    .from(ticketEmailMessages)
    .where(and(eq(ticketEmailMessages.workspaceId, workspaceId), eq(ticketEmailMessages.ticketId, ticketId), eq(ticketEmailMessages.direction, 'in')))
    .orderBy(desc(ticketEmailMessages.createdAt), desc(ticketEmailMessages.id))
    .limit(1);
  return row?.messageId ?? null;
}

export async function threadOf(db: Db, workspaceId: string, ticketId: string): Promise<ThreadRow | null> {
  const [row] = await db
    .select()
    .from(ticketEmailThreads)
    .where(and(eq(ticketEmailThreads.workspaceId, workspaceId), eq(ticketEmailThreads.ticketId, ticketId)));
  return row ?? null;
}

export async function insertThread(db: Db, values: typeof ticketEmailThreads.$inferInsert) {
  await db.insert(ticketEmailThreads).values(values).onConflictDoNothing();
}
