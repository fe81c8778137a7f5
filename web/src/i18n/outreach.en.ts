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
  preview: {
    title: 'Preview: {{name}}',
    hint: 'From consent, frequency caps and contact details as they are now; the send decides again person by person.',
    total: 'Audience',
    included: 'Will get it',
    excluded: 'Left out',
    all: 'All',
    sample: 'Content (first recipient)',
    person: 'Contact',
    account: 'Account',
    email: 'Email',
    result: 'Result',
    willGet: 'Will get it',
    empty: 'No contact matches',
  },
  reason: {
    no_consent: 'No consent',
    unsubscribed: 'Unsubscribed',
    cap_reached: 'Frequency cap reached',
    no_address: 'No email address',
    cancelled: 'Campaign cancelled',
  },
  channel: { email: 'Email', portal: 'Portal' },
  status: { draft: 'Draft', scheduled: 'Scheduled', sending: 'Sending', sent: 'Sent', cancelled: 'Cancelled' },
};
