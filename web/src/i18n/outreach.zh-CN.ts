/** Labels of precise outreach (issue 18, zh-CN). */
export const orZhCN = {
  menu: '精准触达',
  title: '触达活动',
  sub: '按分群向联系人发送邮件：遵守频次上限、免打扰时段与联系人的订阅意愿',
  empty: '还没有触达活动',
  filterStatus: '状态',
  col: { name: '活动名称', channel: '渠道', status: '状态', cap: '本活动上限', scheduledAt: '计划发送', sentAt: '发送完成', createdAt: '创建时间' },
  cap: '{{days}} 天内最多 {{count}} 次',
  noCap: '仅工作区上限',
  now: '立即',
  channel: { email: '邮件', portal: '门户' },
  status: { draft: '草稿', scheduled: '已排期', sending: '发送中', sent: '已发送', cancelled: '已取消' },
};
