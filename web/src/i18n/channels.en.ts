import type { chZhCN } from './channels.zh-CN';

type Shape<T> = { [K in keyof T]: T[K] extends string ? string : Shape<T[K]> };

/** Labels of IM channels (English). */
export const chEn: Shape<typeof chZhCN> = {
  title: 'IM robots',
  intro:
    'Notifications go to WeCom, DingTalk or Feishu groups as markdown cards with a link back to Keyward. An account with an iron-triangle group robot gets its notifications there; otherwise they go to the workspace robots here.',
  accountTitle: 'Iron-triangle group robots',
  accountIntro: "This account's notifications go to these robots; without one they go to the workspace's IM robots.",
  platform: { wecom: 'WeCom', dingtalk: 'DingTalk', feishu: 'Feishu' },
  platformLabel: 'Platform',
  name: 'Name',
  namePlaceholder: 'e.g. East China service group',
  webhookUrl: 'Webhook address',
  webhookHint: {
    wecom: 'Group settings › Group robots › Add robot, then copy its webhook (…/cgi-bin/webhook/send?key=…).',
    dingtalk:
      'Group settings › Robots › Custom robot with the "signature" security setting; copy the webhook (…/robot/send?access_token=…) and the secret.',
    feishu: 'Group settings › Bots › Custom bot with "signature verification" on; copy the webhook (…/open-apis/bot/v2/hook/…) and the secret.',
  },
  webhookKeep: 'Leave empty to keep the current address ({{hint}})',
  secret: 'Signing secret',
  secretHint: "DingTalk's start with SEC. Not shown again once saved, only its first and last characters.",
  secretKeep: 'Leave empty to keep the current secret ({{hint}})',
  secretNone: 'WeCom group robots need no secret: the key in the address is the credential.',
  removeSecret: 'Remove secret',
  enabled: 'Enabled',
  add: 'Add robot',
  edit: 'Edit robot',
  empty: 'No IM robot yet. Add one and notifications arrive in the group.',
  emptyAccount: 'This account has no iron-triangle group robot: its notifications go to the workspace robots.',
  lastSuccess: 'Last success',
  lastFailure: 'Last failure',
  never: 'never',
  status: 'Status',
  on: 'On',
  off: 'Off',
  test: 'Send test',
  testConfirm: 'A test message goes to the group "{{name}}" ({{platform}}) and everyone in it will see it. Send it?',
  testOk: 'The test message was delivered',
  deleteConfirm: 'Delete the robot "{{name}}"? Notifications will no longer go to this group.',
  deleted: 'Deleted',
  operatorNote: 'Internal or loopback addresses can only be allowed by the operator in the server configuration (KW_OUTBOUND_ALLOW_HOSTS).',
};
