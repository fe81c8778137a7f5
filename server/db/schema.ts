// Every table of every module, re-exported for Drizzle and drizzle-kit.
export * from '../modules/people/people.table.js';
export * from '../platform/platform.table.js';
export * from '../modules/accounts/accounts.table.js';
export * from '../modules/opportunities/opportunities.table.js';
