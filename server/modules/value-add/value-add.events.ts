// What the value-add module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** A value-add task (one of the six core tasks on the service plan) was moved to done. */
export const TaskDone = defineEvent('task.done', z.object({ ...AccountRef, taskId: z.guid() }));
