// What the portal announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

const Need = z.object({ ...AccountRef, demandId: z.guid(), title: z.string(), accountName: z.string(), userIds: z.array(z.guid()) });
/** A key person raised a need in the portal; `userIds` are the account's iron triangle and CSM. */
export const PortalNeedPosted = defineEvent('portal.need_posted', Need);
/** A key person wrote on a need; `userIds` as above. */
export const PortalNeedMessaged = defineEvent('portal.need_messaged', Need.extend({ messageId: z.guid() }));
