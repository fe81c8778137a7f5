import type { orZhCN } from './outreach.zh-CN';

/** Labels of precise outreach (issue 18, en). */
export const orEn: typeof orZhCN = {
  menu: 'Outreach',
  title: 'Campaigns',
  sub: "Mail to the contacts of a segment, within the frequency caps, quiet hours and each person's consent",
  empty: 'No campaigns yet',
  filterStatus: 'Status',
  col: { name: 'Campaign', channel: 'Channel', status: 'Status', cap: 'Own cap', scheduledAt: 'Scheduled', sentAt: 'Sent', createdAt: 'Created' },
  cap: 'At most {{count}} in {{days}} days',
  noCap: "The workspace's cap only",
  now: 'At once',
  channel: { email: 'Email', portal: 'Portal' },
  status: { draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent', cancelled: 'Cancelled' },
};
