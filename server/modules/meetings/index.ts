// The meetings module's public face: key-moment, periodic and ad-hoc meetings, invitations (mail + ICS),
// reminders, minutes and summaries, supervised action items (SPEC §5).
export { meetingsRoutes } from './meetings.routes.js';
export {
  createMeeting,
  saveMinutes,
  createActionItem,
  updateActionItem,
  insertMeetings,
  putSettings,
  myMeetingsToday,
  myOpenActionItems,
} from './meetings.service.js';
export {
  MAIL_JOB,
  SUMMARISE_JOB,
  SCAN_JOB,
  SCAN_SCHEDULE,
  mailHandler,
  summariseHandler,
  scanHandler,
  scanMeetings,
  summariseMeeting,
  scheduleKeyMoments,
} from './meetings.jobs.js';
export { MeetingHeld, MeetingNoticed } from './meetings.events.js';
