// Account health reacts to what other modules announce: each event about an input of health queues
// one recompute of that account (coalesced: a burst of events → one queued recompute job).
import { subscribe, type EventType } from '../../platform/events.js';
import { MeetingHeld } from '../meetings/index.js';
import { AssessmentRecorded } from '../relationships/index.js';
import { SlaBreached, TicketRated } from '../service-desk/index.js';
import { TaskDone } from '../value-add/index.js';
import { ValueActualRecorded } from '../value/index.js';
import { requestHealthRecompute } from './recompute.js';

const inputsOfHealth = [
  AssessmentRecorded,
  TicketRated,
  SlaBreached,
  MeetingHeld,
  ValueActualRecorded,
  TaskDone,
] as const satisfies readonly EventType[];

export const healthSubscriptions = inputsOfHealth.map((event) =>
  subscribe(`health.on.${event.type}`, event, async (db, e) => {
    await requestHealthRecompute(db, e.workspaceId, e.data.accountId);
  }),
);
