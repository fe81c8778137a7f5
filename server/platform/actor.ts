import type { Locale } from './i18n.js';
import { AppError, forbidden } from './errors.js';
import { can, type Permission, type Role } from './permissions.js';

export type StaffActor = {
  kind: 'staff';
  workspaceId: string;
  userId: string;
  name: string;
  role: Role;
  channelPartnerId: string | null;
  locale: Locale;
};

export type KeyPersonActor = {
  kind: 'key_person';
  workspaceId: string;
  keyPersonId: string;
  accountId: string;
  contactId: string;
  name: string;
  locale: Locale;
};

export type Actor = StaffActor | KeyPersonActor;

/** The check every staff use case starts with. Key persons never pass it. */
export function assertCan(actor: Actor, permission: Permission): asserts actor is StaffActor {
  if (actor.kind !== 'staff') throw forbidden();
  if (!can(actor.role, permission)) throw forbidden();
}

export function assertStaff(actor: Actor): asserts actor is StaffActor {
  if (actor.kind !== 'staff') throw new AppError('forbidden', 'error.forbidden');
}
