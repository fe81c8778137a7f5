// What the relationships module announces to other modules (server/platform/events.ts).
import { z } from 'zod';
import { AccountRef, defineEvent } from '../../platform/events.js';

/** A relationship metric of an account was assessed (by hand, after a meeting or a visit). */
export const AssessmentRecorded = defineEvent('assessment.recorded', z.object({ ...AccountRef, metric: z.string() }));
