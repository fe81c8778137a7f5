/**
 * The one permission matrix: which staff roles may do what. Services call `can`/`assertCan`;
 * the console reads the same list from /api/auth/me to shape menus and buttons.
 */
export const roles = ['admin', 'manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert', 'channel_implementer'] as const;
export type Role = (typeof roles)[number];

const ALL: readonly Role[] = roles;
const LEADS: readonly Role[] = ['admin', 'manager'];
const FRONTLINE: readonly Role[] = ['admin', 'manager', 'sales', 'delivery', 'after_sales', 'csm'];

export const matrix = {
  'accounts.read': ALL,
  'accounts.create': ['admin', 'manager', 'sales'],
  'accounts.update': ['admin', 'manager', 'sales', 'csm'],
  'accounts.stage': ['admin', 'manager', 'sales', 'csm', 'delivery'],
  'accounts.ladder': ['admin', 'manager', 'sales', 'csm'],
  'accounts.tier_override': LEADS,
  'accounts.team': LEADS,
  'accounts.import': LEADS,
  'accounts.export': ['admin', 'manager', 'sales', 'csm'],
  'contacts.write': FRONTLINE,
  'relationships.write': [...FRONTLINE, 'expert'],
  'key_persons.manage': ['admin', 'manager', 'sales', 'csm'],
  'grading.manage': LEADS,
  'segments.manage': ['admin', 'manager', 'sales', 'csm'],
  'users.read': ALL,
  'users.manage': ['admin'],
  'teams.manage': LEADS,
  'partners.manage': LEADS,
  'workspace.manage': ['admin'],
  'audit.read': ['admin'],
  'opportunities.capture': [...FRONTLINE, 'expert'],
  'tickets.read': ALL,
  'tickets.create': ALL,
  'tickets.work': ALL,
  'tickets.assign': ['admin', 'manager', 'after_sales', 'csm', 'delivery', 'expert', 'channel_implementer'],
  'tickets.major': ['admin', 'manager', 'csm', 'after_sales'],
  'sla.manage': LEADS,
  'opportunities.read': ALL,
  'opportunities.move': [...FRONTLINE, 'expert'],
  'opportunities.close': ['admin', 'manager', 'sales'],
  'webhooks.manage': ['admin'],
  /** IM robots: the workspace's are the admin's; an account's iron-triangle robots are also its managers' */
  'channels.manage': ['admin'],
  'channels.account': LEADS,
  'value_add.read': ALL,
  'value_add.focus': ['admin', 'manager', 'sales', 'csm', 'delivery'],
  'value_add.book': ['admin', 'manager', 'sales', 'csm', 'delivery'],
  'value_add.plan': [...FRONTLINE, 'expert'],
  'value_add.approve': LEADS,
  'value_add.settings': ['admin'],
  'value_add.opening': LEADS,
  'catalog.manage': LEADS,
  'meetings.read': ALL,
  'meetings.create': ALL,
  'meetings.periodic': ['admin', 'manager', 'sales', 'csm', 'delivery', 'after_sales'],
  'meetings.supervise': LEADS,
  'meetings.settings': ['admin'],
  'value.read': ALL,
  'value.manage': ['admin', 'manager', 'sales', 'csm', 'delivery', 'expert'],
  'value.library': LEADS,
  'relationships.assess': FRONTLINE,
  'health.manage': LEADS,
  'follow_ups.work': FRONTLINE,
  'kpi.read': ['admin', 'manager', 'sales', 'delivery', 'after_sales', 'csm', 'expert'],
  'kpi.read_all': LEADS,
  'kpi.manage': LEADS,
  'dashboards.read': LEADS,
  'portal.read': ALL,
  'portal.publish': ['admin', 'manager', 'sales', 'csm', 'delivery'],
  'portal.answer': [...FRONTLINE, 'expert'],
  /** the commercial record (issue 16): contracts and collections are read by the frontline, kept by sales and leads */
  'contracts.read': FRONTLINE,
  'contracts.manage': ['admin', 'manager', 'sales'],
  /** a contract's cost (its margin) is for leads only */
  'contracts.cost': LEADS,
  'collections.manage': ['admin', 'manager', 'sales'],
  /** delivery projects: milestones and acceptance are kept by delivery and leads; anyone who works on one books time */
  'projects.read': ALL,
  'projects.manage': ['admin', 'manager', 'delivery'],
  'time.book': ['admin', 'manager', 'delivery', 'after_sales', 'csm', 'expert', 'channel_implementer'],
  /** booking time for someone else, and reading everyone's */
  'time.manage': LEADS,
  'commerce.import': LEADS,
  'commerce.settings': ['admin'],
  /** precise outreach (issue 18): campaigns and the caps are leads'; consents are recorded by those who talk to customers */
  'outreach.read': ['admin', 'manager', 'sales', 'csm'],
  'outreach.manage': LEADS,
  'outreach.consent': ['admin', 'manager', 'sales', 'csm'],
  /** a saved view of a list, shared with the whole workspace */
  'views.share': LEADS,
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof matrix;

export function can(role: Role, permission: Permission): boolean {
  return (matrix[permission] as readonly Role[]).includes(role);
}

export function permissionsOf(role: Role): Permission[] {
  return (Object.keys(matrix) as Permission[]).filter((p) => can(role, p));
}
