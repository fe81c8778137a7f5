import type { Db } from '../../db/client.js';
import { type Actor, assertStaff } from '../../platform/actor.js';
import { AppError, notFound } from '../../platform/errors.js';
import { can } from '../../platform/permissions.js';
import * as repo from './views.repo.js';

export type { ViewPage } from './views.repo.js';

const shape = (r: repo.SavedViewRow, userId: string) => ({
  id: r.id,
  page: r.page as repo.ViewPage,
  name: r.name,
  query: r.query,
  shared: r.shared,
  mine: r.userId === userId,
  createdAt: r.createdAt,
});

export async function listSavedViews(db: Db, actor: Actor, page: repo.ViewPage) {
  assertStaff(actor);
  return (await repo.listViews(db, actor.workspaceId, actor.userId, page)).map((r) => shape(r, actor.userId));
}

export async function saveView(
  db: Db,
  actor: Actor,
  input: { page: repo.ViewPage; name: string; query: Record<string, string | string[]>; shared?: boolean },
) {
  assertStaff(actor);
  if (input.shared && !can(actor.role, 'views.share'))
    throw new AppError('forbidden', 'view.share_forbidden', {}, [{ field: 'shared', message: 'view.share_forbidden' }]);
  return db.transaction(async (tx) => {
    if (await repo.findViewByName(tx, actor.workspaceId, actor.userId, input.page, input.name))
      throw new AppError('conflict', 'view.name_taken', { name: input.name }, [{ field: 'name', message: 'view.name_taken' }]);
    const row = await repo.insertView(tx, {
      workspaceId: actor.workspaceId,
      userId: actor.userId,
      page: input.page,
      name: input.name,
      query: input.query,
      shared: input.shared ?? false,
    });
    return shape(row, actor.userId);
  });
}

/** Only the one who saved a view deletes it; another person's private view is not found, a shared one is forbidden. */
export async function deleteSavedView(db: Db, actor: Actor, id: string) {
  assertStaff(actor);
  await db.transaction(async (tx) => {
    const row = await repo.findView(tx, actor.workspaceId, id);
    if (!row || (row.userId !== actor.userId && !row.shared)) throw notFound('view.noun');
    if (row.userId !== actor.userId) throw new AppError('forbidden', 'view.delete_forbidden');
    await repo.deleteView(tx, actor.workspaceId, id);
  });
  return { ok: true as const };
}
