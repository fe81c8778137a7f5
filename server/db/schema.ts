// Every table of every module, re-exported for Drizzle and drizzle-kit.
export * from '../modules/people/people.table.js';
export * from '../platform/platform.table.js';
export * from '../modules/accounts/accounts.table.js';
export * from '../modules/opportunities/opportunities.table.js';
export * from '../modules/opportunities/webhooks.table.js';
export * from '../modules/value-add/value-add.table.js';
export * from '../modules/service-desk/tickets.table.js';
export * from '../modules/service-desk/email-in.table.js';
export * from '../modules/value/value.table.js';
export * from '../modules/meetings/meetings.table.js';
export * from '../modules/portal/portal.table.js';
export * from '../modules/relationships/relationships.table.js';
export * from '../modules/kpi/kpi.table.js';
export * from '../modules/reporting/reporting.table.js';
export * from '../modules/notifications/notifications.table.js';
export * from '../modules/channels/channels.table.js';
export * from '../modules/views/views.table.js';
