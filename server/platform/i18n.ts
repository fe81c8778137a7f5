/** Server-side messages in zh-CN (default) and en. Labels of the UI live in web/src/i18n. */
export type Locale = 'zh-CN' | 'en';

export function pickLocale(preferred?: string | null, acceptLanguage?: string): Locale {
  const v = preferred ?? acceptLanguage ?? '';
  if (/^en\b/i.test(v.trim())) return 'en';
  return 'zh-CN';
}

const catalog: Record<string, { 'zh-CN': string; en: string }> = {
  'error.not_found': { 'zh-CN': '未找到该{what}。', en: 'This {what} was not found.' },
  'error.forbidden': { 'zh-CN': '您的角色无权执行此操作。', en: 'Your role is not allowed to do this.' },
  'error.unauthenticated': { 'zh-CN': '请先登录。', en: 'Please sign in first.' },
  'error.csrf': {
    'zh-CN': '请求缺少有效的 CSRF 令牌，请刷新页面后重试。',
    en: 'The request lacks a valid CSRF token; reload the page and try again.',
  },
  'error.login_failed': { 'zh-CN': '邮箱或密码不正确。', en: 'Email or password is incorrect.' },
  'error.login_throttled': {
    'zh-CN': '登录失败次数过多，请 {minutes} 分钟后再试。',
    en: 'Too many failed sign-ins; try again in {minutes} minutes.',
  },
  'error.rate_limited': { 'zh-CN': '请求过于频繁，请稍后再试。', en: 'Too many requests; try again later.' },
  'error.payload_too_large': { 'zh-CN': '请求内容过大（上限 {limit}）。', en: 'The request is too large (limit {limit}).' },
  'error.malformed_json': { 'zh-CN': '请求体不是有效的 JSON。', en: 'The request body is not valid JSON.' },
  'error.validation': { 'zh-CN': '输入有误：{detail}', en: 'Invalid input: {detail}' },
  'error.overloaded': {
    'zh-CN': '服务器繁忙，暂时无法处理该请求（未执行任何操作），请 {seconds} 秒后重试。',
    en: 'The server is busy and could not take this request (nothing was done); try again in {seconds} s.',
  },
  'error.internal': { 'zh-CN': '服务器内部错误，请稍后再试。', en: 'Internal server error; please try again later.' },
  'error.unsupported_media': { 'zh-CN': '不支持的内容类型。', en: 'Unsupported content type.' },
  'error.wrong_password': { 'zh-CN': '当前密码不正确。', en: 'The current password is incorrect.' },
  'error.weak_password': {
    'zh-CN': '新密码至少 10 位，且需同时包含字母和数字。',
    en: 'The new password needs at least 10 characters with letters and digits.',
  },
  'error.email_taken': { 'zh-CN': '本工作区已有使用该邮箱的账号。', en: 'Someone in this workspace already uses this email.' },
  'error.choose_workspace': {
    'zh-CN': '该邮箱在多个工作区都有账号，请填写工作区代码：{choices}',
    en: 'This email has accounts in several workspaces; enter the workspace code: {choices}',
  },
  'error.workspace_suspended': {
    'zh-CN': '该工作区已暂停使用，请联系平台管理员。',
    en: 'This workspace is suspended; contact the platform operator.',
  },
  'error.idempotency_key_format': {
    'zh-CN': '请求头 {header} 无效：须为 1–255 个可见 ASCII 字符（如 UUID）。',
    en: 'The {header} header is not valid: use 1–255 visible ASCII characters (a UUID, say).',
  },
  'error.idempotency_mismatch': {
    'zh-CN': '该 Idempotency-Key 已用于另一个请求（内容或地址不同）。请为新的请求使用新的密钥。',
    en: 'This Idempotency-Key was already used for a different request (another body or address); use a new key for a new request.',
  },
  'error.idempotency_in_flight': {
    'zh-CN': '使用同一 Idempotency-Key 的请求仍在处理中，请稍后再试。',
    en: 'A request with the same Idempotency-Key is still being processed; try again in a moment.',
  },
  'error.duplicate': { 'zh-CN': '已存在相同的记录。', en: 'The same record already exists.' },
  'error.in_use': {
    'zh-CN': '仍有其他记录引用它，无法删除；可以改为停用或归档。',
    en: 'Other records still refer to it, so it cannot be deleted; deactivate or archive it instead.',
  },
  'error.bad_reference': { 'zh-CN': '引用的记录不存在。', en: 'A record it refers to does not exist.' },
  'error.value_not_allowed': { 'zh-CN': '输入的值不在允许的范围内。', en: 'A value is outside what is allowed.' },
  'error.bad_format': { 'zh-CN': '输入的值格式不正确。', en: 'A value has the wrong format.' },
  'error.bad_text': { 'zh-CN': '文本包含无法保存的字符。', en: 'The text holds characters that cannot be stored.' },
  'error.link_invalid': { 'zh-CN': '该链接无效或已被使用，请重新申请。', en: 'This link is not valid or was already used; ask for a new one.' },
  'error.link_expired': { 'zh-CN': '该链接已过期，请重新申请。', en: 'This link has expired; ask for a new one.' },
  'error.already_accepted': { 'zh-CN': '对方已接受邀请并设置了密码。', en: 'They have already accepted and set a password.' },
  'workspace.noun': { 'zh-CN': '工作区', en: 'workspace' },
  'error.contact_archived': {
    'zh-CN': '该联系人已归档，不能恢复门户访问。',
    en: 'This contact is archived; portal access cannot be turned back on.',
  },
  'keyperson.noun': { 'zh-CN': '客户关键人', en: 'key person' },
  'sso.bad_issuer': {
    'zh-CN': '身份提供方地址无效，或指向内部地址（需平台管理员放行）。',
    en: 'The issuer URL is not valid, or points at an internal address (the operator must allow it).',
  },
  'sso.https_only': { 'zh-CN': '身份提供方必须使用 https。', en: 'The identity provider must use https.' },
  'error.setup_done': { 'zh-CN': '系统已完成初始化。', en: 'Keyward is already set up.' },
  'error.setup_token': { 'zh-CN': '初始化令牌不正确（见服务器启动日志）。', en: 'The setup token is not right (see the server log at start).' },
  'error.timezone': { 'zh-CN': '未知的时区：{value}', en: 'Unknown time zone: {value}' },
  'error.slug_taken': { 'zh-CN': '工作区代码“{slug}”已被使用。', en: 'The workspace code "{slug}" is taken.' },
  'error.name_taken': { 'zh-CN': '名称“{name}”已存在。', en: 'The name "{name}" already exists.' },
  'error.role_mismatch': {
    'zh-CN': '{field}：{name} 的角色不是{role}。',
    en: '{field}: {name} does not have the role {role}.',
  },
  'error.user_not_in_workspace': { 'zh-CN': '{field}：用户不存在。', en: '{field}: no such user.' },
  'error.self_deactivate': { 'zh-CN': '不能停用或降级自己的账号。', en: 'You cannot deactivate or demote yourself.' },
  'error.channel_required': {
    'zh-CN': '渠道实施商必须属于一个渠道商。',
    en: 'A channel implementer must belong to a channel partner.',
  },
  'error.channel_only_implementer': {
    'zh-CN': '只有渠道实施商可以关联渠道商。',
    en: 'Only channel implementers belong to a channel partner.',
  },
  'error.center_industry': {
    'zh-CN': '行业综合服务中心必须填写所服务的行业；其他团队不填行业。',
    en: 'An integrated industry service center needs its industry; other teams have none.',
  },
  // accounts
  'account.noun': { 'zh-CN': '客户', en: 'account' },
  'contact.noun': { 'zh-CN': '联系人', en: 'contact' },
  'user.noun': { 'zh-CN': '用户', en: 'user' },
  'team.noun': { 'zh-CN': '团队', en: 'team' },
  'partner.noun': { 'zh-CN': '渠道商', en: 'channel partner' },
  'segment.noun': { 'zh-CN': '客户分群', en: 'segment' },
  'view.noun': { 'zh-CN': '已存视图', en: 'saved view' },
  'view.share_forbidden': {
    'zh-CN': '只有管理员和经理可以把视图共享给整个工作区。',
    en: 'Only admins and managers can share a view with the whole workspace.',
  },
  'view.name_taken': { 'zh-CN': '已有同名视图“{name}”。', en: 'A view named "{name}" already exists.' },
  'view.delete_forbidden': { 'zh-CN': '只有创建者可以删除这个视图。', en: 'Only the person who saved this view can delete it.' },
  'bulk.too_many': { 'zh-CN': '一次最多处理 {max} 条。', en: 'At most {max} rows at a time.' },
  'link.noun': { 'zh-CN': '关系连线', en: 'relationship link' },
  'stage.same': { 'zh-CN': '客户已处于“{stage}”阶段。', en: 'The account is already in the {stage} stage.' },
  'stage.illegal': {
    'zh-CN': '不能从“{from}”直接进入“{to}”，允许的下一阶段：{allowed}。',
    en: 'Cannot move from {from} to {to}; allowed next: {allowed}.',
  },
  'ladder.same': { 'zh-CN': '关系阶梯已是“{level}”。', en: 'The relationship ladder is already {level}.' },
  'ladder.skip': {
    'zh-CN': '关系阶梯只能逐级上升：下一级是“{next}”。',
    en: 'The ladder goes up one step at a time: the next step is {next}.',
  },
  'ladder.reason_required': {
    'zh-CN': '关系阶梯下降时必须填写原因。',
    en: 'A reason is required when the ladder goes down.',
  },
  'tier.override_reason': { 'zh-CN': '手工调整分级必须填写原因。', en: 'A reason is required to override a tier.' },
  'tier.override_same': {
    'zh-CN': '模型分级已是 {tier} 类，无需手工调整。',
    en: 'The model already grades this account {tier}; no override needed.',
  },
  'tier.channel_e': {
    'zh-CN': '渠道客户固定为 E 类；如需调整，请先取消渠道关联。',
    en: 'Channel accounts are always tier E; remove the channel partner first.',
  },
  'tier.no_override': { 'zh-CN': '该客户没有手工分级。', en: 'This account has no tier override.' },
  'grading.weights_sum': {
    'zh-CN': '{axis} 各因子权重之和必须为 100，当前为 {sum}。',
    en: 'The {axis} weights must add up to 100; they add up to {sum}.',
  },
  'grading.thresholds': {
    'zh-CN': '阈值必须满足 0 ≤ 低价值阈值 < 高价值阈值 ≤ 100。',
    en: 'Thresholds must satisfy 0 ≤ low value < high value ≤ 100.',
  },
  'team.csm_required': {
    'zh-CN': 'A、C 类重点客户必须配备客户成功经理。',
    en: 'A and C key accounts need a customer success manager.',
  },
  'segment.bad_rule': { 'zh-CN': '分群规则无效：{detail}', en: 'Invalid segment rule: {detail}' },
  'link.contact_other_account': {
    'zh-CN': '联系人不属于该客户。',
    en: 'The contact does not belong to this account.',
  },
  'link.duplicate': { 'zh-CN': '这两人之间已有关系连线。', en: 'These two people are already linked.' },
  'keyperson.exists': {
    'zh-CN': '该联系人已有门户账号。',
    en: 'This contact already has a portal login.',
  },
  'import.rows_invalid': {
    'zh-CN': '有 {count} 行数据有误，未导入任何数据。',
    en: '{count} rows have errors; nothing was imported.',
  },
  'import.bad_file': { 'zh-CN': '无法读取文件：{detail}', en: 'The file could not be read: {detail}' },
  'import.empty': { 'zh-CN': '文件中没有数据行。', en: 'The file has no data rows.' },
  'import.too_many_rows': { 'zh-CN': '单次最多导入 {max} 行。', en: 'At most {max} rows per import.' },
  'import.no_file': { 'zh-CN': '请上传一个文件（表单字段 file）。', en: 'Upload one file (form field "file").' },
  'import.unknown_columns': {
    'zh-CN': '无法识别的列：{columns}。请使用导出文件中的列名。',
    en: 'Unknown columns: {columns}. Use the column names of an export.',
  },
  'import.duplicate_columns': { 'zh-CN': '列重复：{columns}。', en: 'Repeated columns: {columns}.' },
  'import.missing_columns': { 'zh-CN': '缺少必需的列：{columns}。', en: 'Missing required columns: {columns}.' },
  'import.detail.format': { 'zh-CN': '仅支持 .csv 和 .xlsx 文件', en: 'only .csv and .xlsx files are supported' },
  'import.detail.encoding': {
    'zh-CN': '文件编码无法识别（请另存为 UTF-8 或 GB18030 编码的 CSV）',
    en: 'the text is neither UTF-8 nor GB18030 (save the CSV as UTF-8)',
  },
  'import.detail.csv': { 'zh-CN': 'CSV 格式有误（如引号未闭合）', en: 'malformed CSV (e.g. an unclosed quote)' },
  'import.detail.xlsx': { 'zh-CN': '不是有效的 XLSX 文件', en: 'not a valid XLSX file' },
  'import.detail.xlsx_too_big': { 'zh-CN': 'XLSX 解压后超过 100 MB', en: 'the XLSX unpacks to more than 100 MB' },
  'import.cell.required': { 'zh-CN': '{column}：不能为空', en: '{column}: required' },
  'import.cell.money': {
    'zh-CN': '{column}：金额格式不正确，应为不小于 0 的数字，如 1234.50',
    en: '{column}: not an amount; write a non-negative number such as 1234.50',
  },
  'import.cell.money_decimals': { 'zh-CN': '{column}：金额最多两位小数（精确到分）', en: '{column}: at most two decimals (fen)' },
  'import.cell.int': { 'zh-CN': '{column}：“{value}”不是整数', en: '{column}: "{value}" is not a whole number' },
  'import.cell.enum': { 'zh-CN': '{column}：“{value}”无效，可选：{allowed}', en: '{column}: "{value}" is not one of {allowed}' },
  'import.cell.bool': { 'zh-CN': '{column}：“{value}”应为“是”或“否”', en: '{column}: "{value}" should be yes or no' },
  'import.cell.decimal': {
    'zh-CN': '{column}：“{value}”不是数字（最多两位小数）',
    en: '{column}: "{value}" is not a number with at most two decimals',
  },
  'import.cell.date': { 'zh-CN': '{column}：“{value}”不是日期（如 2025-03-31）', en: '{column}: "{value}" is not a date (e.g. 2025-03-31)' },
  'import.cell.invalid': { 'zh-CN': '{column}：{detail}', en: '{column}: {detail}' },
  'import.dup_in_file': { 'zh-CN': '{column}：与第 {other} 行重复', en: '{column}: repeats row {other}' },
  'import.dup_in_db': { 'zh-CN': '{column}：“{value}”已存在', en: '{column}: "{value}" already exists' },
  'import.owner_unknown': {
    'zh-CN': '{column}：本工作区没有邮箱或姓名为 {value} 的在职用户（重名时请填邮箱）',
    en: '{column}: no active user with the email or name {value} in this workspace (write the email when two share a name)',
  },
  'import.partner_unknown': { 'zh-CN': '{column}：没有名为“{value}”的渠道商', en: '{column}: no channel partner named "{value}"' },
  // value-add track
  'catalog_item.noun': { 'zh-CN': '服务产品', en: 'service product' },
  'booking.noun': { 'zh-CN': '预订', en: 'booking' },
  'task.noun': { 'zh-CN': '增值任务', en: 'value-add task' },
  'opportunity.noun': { 'zh-CN': '商机', en: 'opportunity' },
  'webhook.noun': { 'zh-CN': 'Webhook 配置', en: 'webhook' },
  'catalog.name_required': { 'zh-CN': '服务产品需填写中英文名称。', en: 'A service product needs a Chinese and an English name.' },
  'catalog.tasks_required': {
    'zh-CN': '服务产品须属于六大核心任务中的一项或多项（不重复）：{allowed}。',
    en: 'A service product must serve one or more of the six core tasks, each once: {allowed}.',
  },
  'catalog.tiers_required': { 'zh-CN': '至少选择一个适用的客户级别。', en: 'Choose at least one eligible tier.' },
  'catalog.free_has_price': { 'zh-CN': '免费服务的价格必须为 0。', en: 'A free service has a price of 0.' },
  'catalog.paid_needs_price': { 'zh-CN': '收费服务必须填写大于 0 的价格。', en: 'A paid service needs a price above 0.' },
  'catalog.customer_name_required': {
    'zh-CN': '对客户可见的服务需填写面向客户的中英文名称。',
    en: 'An item visible to customers needs a customer-facing name in Chinese and in English.',
  },
  'catalog.kpi_credit': { 'zh-CN': 'KPI 积分须为 0–1000 的整数。', en: 'The KPI credit is a whole number from 0 to 1000.' },
  'catalog.code_taken': { 'zh-CN': '编码“{code}”已存在。', en: 'The code "{code}" already exists.' },
  'money.fraction': { 'zh-CN': '{field}：金额以分为单位，必须是整数。', en: '{field}: amounts are whole fen (minor units).' },
  'money.negative': { 'zh-CN': '{field}：金额不能为负数。', en: '{field}: an amount cannot be negative.' },
  'money.too_large': { 'zh-CN': '{field}：金额过大。', en: '{field}: the amount is too large.' },
  'money.invalid': { 'zh-CN': '{field}：金额须为不小于 0 的整数（分）。', en: '{field}: a whole, non-negative number of fen.' },
  'budget.ratio_range': { 'zh-CN': '运营费用比例须在 0% 到 100% 之间。', en: 'The budget ratio must be between 0% and 100%.' },
  'budget.ratio_precision': { 'zh-CN': '运营费用比例最多两位小数。', en: 'The budget ratio has at most two decimals.' },
  'budget.capped': {
    'zh-CN': '{count} 个客户已支出超过新预算，其预算保持在已支出金额。',
    en: '{count} accounts have committed more than the new budget; their budget is held at what is committed.',
  },
  'budget.opening_exceeds': {
    'zh-CN': '期初已支出 {amount} 超过该客户的可用预算。',
    en: 'The opening spend {amount} exceeds this account’s budget.',
  },
  'booking.item_retired': { 'zh-CN': '该服务产品已停用，不能预订。', en: 'This service product is retired and cannot be booked.' },
  'booking.tier_not_eligible': {
    'zh-CN': '该服务产品只面向 {tiers} 类客户，本客户是 {tier} 类。',
    en: 'This service product is offered to tier {tiers} accounts; this account is tier {tier}.',
  },
  'booking.budget_tiers_only': {
    'zh-CN': '只有 A、C 类重点客户有客户运营费用，本客户是 {tier} 类。',
    en: 'Only A and C key accounts have a customer-operations budget; this account is tier {tier}.',
  },
  'booking.promised_value_required': {
    'zh-CN': '收费专家服务须填写承诺的价值目标（大于 0）。',
    en: 'A paid expert service needs the value it promises (above 0).',
  },
  'booking.insufficient': {
    'zh-CN': '剩余运营费用 {remaining}，不足以支付 {amount}（差 {shortfall}）。',
    en: 'The remaining budget {remaining} does not cover {amount} (short by {shortfall}).',
  },
  'booking.self_approval': { 'zh-CN': '不能审批自己提交的预订。', en: 'You cannot approve your own booking.' },
  'booking.not_pending': { 'zh-CN': '该预订不在待审批状态（当前：{status}）。', en: 'This booking is not awaiting approval (it is {status}).' },
  'booking.not_cancellable': { 'zh-CN': '该预订已是“{status}”，不能取消。', en: 'This booking is {status} and cannot be cancelled.' },
  'booking.task_finished': {
    'zh-CN': '对应的增值任务已完成，不能取消预订。',
    en: 'Its value-add task is already done; the booking cannot be cancelled.',
  },
  'task.same_status': { 'zh-CN': '任务已是“{status}”。', en: 'The task is already {status}.' },
  'task.illegal_move': {
    'zh-CN': '任务不能从“{from}”变为“{to}”，允许：{allowed}。',
    en: 'A task cannot go from {from} to {to}; allowed: {allowed}.',
  },
  'task.date_required': { 'zh-CN': '排期时须填写日期。', en: 'Scheduling needs a date.' },
  'task.outcome_required': { 'zh-CN': '完成或评估时须填写结果说明。', en: 'Done or evaluated needs outcome notes.' },
  'task.bad_metric': { 'zh-CN': '未知的关系指标：{metric}。', en: 'Unknown relationship metric: {metric}.' },
  'task.cancel_via_booking': {
    'zh-CN': '该任务有预订，请取消预订（会退回费用）。',
    en: 'This task has a booking: cancel the booking (it returns the amount).',
  },
  'focus.bad_period': { 'zh-CN': '周期格式应为 2026、2026-H2、2026-Q4 或 2026-11。', en: 'The period is 2026, 2026-H2, 2026-Q4 or 2026-11.' },
  'focus.bad_task': { 'zh-CN': '未知的核心任务：{task}。', en: 'Unknown core task: {task}.' },
  'focus.empty': { 'zh-CN': '至少选择一项核心任务。', en: 'Choose at least one core task.' },
  'opportunity.same_stage': { 'zh-CN': '商机已处于“{stage}”。', en: 'The opportunity is already {stage}.' },
  'opportunity.illegal_move': {
    'zh-CN': '商机不能从“{from}”进入“{to}”，允许：{allowed}。',
    en: 'An opportunity cannot go from {from} to {to}; allowed: {allowed}.',
  },
  'opportunity.lost_reason': { 'zh-CN': '商机丢单须填写原因。', en: 'A lost opportunity needs a reason.' },
  'opportunity.not_incubating': {
    'zh-CN': '只有孵化中的商机才能记录孵化结果（当前：{stage}）。',
    en: 'Only an incubating opportunity has an incubation outcome (it is {stage}).',
  },
  'opportunity.close_role': { 'zh-CN': '赢单或丢单由销售或管理者确认。', en: 'Won and lost are confirmed by sales or a manager.' },
  'opportunity.source_task': { 'zh-CN': '来源任务不属于该客户。', en: 'The source task does not belong to this account.' },
  'webhook.bad_url': { 'zh-CN': 'Webhook 地址须为 http(s) URL。', en: 'The webhook address must be an http(s) URL.' },
  'webhook.credentials_in_url': { 'zh-CN': 'Webhook 地址不能包含用户名或密码。', en: 'The webhook address must not contain credentials.' },
  'webhook.blocked_address': {
    'zh-CN': '拒绝发送到内部地址 {host}（{address}）：回环、私有和链路本地地址只有运维人员可以放行。',
    en: 'Refused to send to the internal address {host} ({address}): only the operator can allow loopback, private and link-local targets.',
  },
  'import.contract_unknown': { 'zh-CN': '{column}：没有编号为“{value}”的合同', en: '{column}: no contract numbered "{value}"' },
  'import.project_unknown': {
    'zh-CN': '{column}：合同“{contract}”下没有名为“{value}”的交付项目',
    en: '{column}: contract "{contract}" has no delivery project named "{value}"',
  },
  'import.project_ambiguous': {
    'zh-CN': '{column}：合同“{contract}”下有多个名为“{value}”的交付项目，请先改名',
    en: '{column}: contract "{contract}" has several delivery projects named "{value}"; rename them first',
  },
  'import.user_unknown': { 'zh-CN': '{column}：没有邮箱为“{value}”的在职同事', en: '{column}: no active colleague with the email "{value}"' },
  'import.plan_item_unknown': {
    'zh-CN': '{column}：没有 ERP 编号为“{value}”的回款计划',
    en: '{column}: no payment plan item with the ERP ID "{value}"',
  },
  'import.plan_item_other_contract': {
    'zh-CN': '{column}：回款计划“{value}”不属于合同“{contract}”',
    en: '{column}: payment plan item "{value}" is not on contract "{contract}"',
  },
  'import.ref_other_number': {
    'zh-CN': '{column}：ERP 编号“{value}”已导入为合同“{number}”',
    en: '{column}: the ERP ID "{value}" was already imported as contract "{number}"',
  },
  'import.rule': { 'zh-CN': '{column}：{detail}', en: '{column}: {detail}' },
  'import.account_unknown': { 'zh-CN': '{column}：没有名为“{value}”的客户', en: '{column}: no account named "{value}"' },
  // service desk
  'ticket.noun': { 'zh-CN': '工单', en: 'ticket' },
  'attachment.noun': { 'zh-CN': '附件', en: 'attachment' },
  'ticket.illegal_status': {
    'zh-CN': '工单不能从“{from}”变为“{to}”，允许：{allowed}。',
    en: 'A ticket cannot go from {from} to {to}; allowed: {allowed}.',
  },
  'ticket.already_paused': {
    'zh-CN': '工单已在等待客户，SLA 计时已暂停。',
    en: 'The ticket is already waiting on the customer; its SLA clocks are paused.',
  },
  'ticket.pause_status': { 'zh-CN': '只有新建或处理中的工单可以暂停计时。', en: 'Only open or in-progress tickets can be paused.' },
  'ticket.pause_not_waiting': {
    'zh-CN': '工单并未在等待客户：最后一条公开消息不是我方发出的。请先回复客户说明需要什么，再暂停计时。',
    en: 'The ticket is not waiting on the customer: our reply is not the last public message. Reply to the customer first, then pause.',
  },
  'ticket.not_paused': { 'zh-CN': '工单没有暂停，无需恢复。', en: 'The ticket is not paused.' },
  'ticket.closed': {
    'zh-CN': '工单已关闭，不能再回复；如有新问题请新建工单。',
    en: 'The ticket is closed and takes no more replies; open a new ticket instead.',
  },
  'ticket.customer_internal': { 'zh-CN': '客户不能添加内部备注。', en: 'Customers cannot add internal notes.' },
  'ticket.resolved_reply': {
    'zh-CN': '工单已解决：请等待客户确认，或由客户回复以重新打开。',
    en: 'The ticket is resolved: wait for the customer, or let their reply reopen it.',
  },
  'ticket.resolution_required': { 'zh-CN': '请填写解决方案。', en: 'Describe the resolution.' },
  'ticket.resolve_status': { 'zh-CN': '只有未解决的工单可以标记为已解决。', en: 'Only unresolved tickets can be resolved.' },
  'ticket.reassign_forbidden': {
    'zh-CN': '只有负责人、客户成功经理、所属团队成员或主管可以转派此工单。',
    en: "Only the owner, the CSM, a member of the ticket's team or a lead can reassign this ticket.",
  },
  'ticket.reassign_status': { 'zh-CN': '已解决或已关闭的工单不能转派。', en: 'Resolved or closed tickets cannot be reassigned.' },
  'ticket.team_change_forbidden': {
    'zh-CN': '只有客户成功经理或主管可以把工单转到其他团队。',
    en: 'Only the CSM or a lead can move a ticket to another team.',
  },
  'ticket.assignee_unknown': { 'zh-CN': '接手人不存在或已停用。', en: 'The new owner does not exist or is inactive.' },
  'ticket.assignee_same': { 'zh-CN': '此人已是该工单的负责人。', en: 'This person already owns the ticket.' },
  'ticket.assignee_outside_team': { 'zh-CN': '接手人不在工单所属团队内，不能转派给他/她。', en: "The new owner is not in the ticket's team." },
  'ticket.reason_required': { 'zh-CN': '请填写转派原因。', en: 'Give a reason for the reassignment.' },
  'ticket.already_major': { 'zh-CN': '该工单已标记为重大问题。', en: 'The ticket is already marked as a major issue.' },
  'ticket.account_tier': { 'zh-CN': '客户分级无效。', en: 'The account has no valid tier.' },
  'csat.not_resolved': { 'zh-CN': '工单解决后才能评价满意度。', en: 'Satisfaction can be given once the ticket is resolved.' },
  'csat.already': { 'zh-CN': '该工单已评价过。', en: 'This ticket has already been rated.' },
  'csat.score': { 'zh-CN': '满意度评分为 1 到 5 分。', en: 'The score is 1 to 5.' },
  'attachment.empty': { 'zh-CN': '附件为空。', en: 'The file is empty.' },
  'attachment.too_large': { 'zh-CN': '附件超过上限（{limit}）。', en: 'The file is over the limit ({limit}).' },
  'attachment.type': { 'zh-CN': '不允许的附件类型。允许：{allowed}。', en: 'This file type is not allowed. Allowed: {allowed}.' },
  'attachment.type_mismatch': { 'zh-CN': '附件内容与其类型不符。', en: "The file's content does not match its type." },
  'attachment.no_file': { 'zh-CN': '请上传一个文件（表单字段 file）。', en: 'Upload one file (form field "file").' },
  'sla.calendar_zone': { 'zh-CN': '未知的时区：{zone}。', en: 'Unknown time zone: {zone}.' },
  'sla.calendar_days': { 'zh-CN': '至少需要一个工作日（1=周一 … 7=周日）。', en: 'At least one working day is needed (1 = Monday … 7 = Sunday).' },
  'sla.calendar_periods': {
    'zh-CN': '工作时段需为 HH:MM，开始早于结束，且时段之间不重叠。',
    en: 'Working periods are HH:MM, each starting before it ends, without overlaps.',
  },
  'sla.calendar_date': { 'zh-CN': '日期无效：{date}（应为 YYYY-MM-DD）。', en: 'Invalid date: {date} (use YYYY-MM-DD).' },
  'sla.preview_pause_order': { 'zh-CN': '暂停的结束时间必须晚于开始时间。', en: 'A pause must end after it starts.' },
  'sla.preview_pause_before_open': { 'zh-CN': '暂停不能早于工单创建时间。', en: 'A pause cannot start before the ticket is opened.' },
  'sla.policy_order': { 'zh-CN': '响应时限不能长于解决时限。', en: 'A response target cannot be longer than the resolution target.' },
  'sla.policy_warn': { 'zh-CN': '预警比例须在 1% 到 99% 之间。', en: 'The warning share must be between 1% and 99%.' },
  // business value assessment
  'value.indicator.noun': { 'zh-CN': '价值指标', en: 'value indicator' },
  'value.item.noun': { 'zh-CN': '客户价值指标', en: "account's value indicator" },
  'value.actual.noun': { 'zh-CN': '实际值', en: 'actual' },
  'value.bad_number': {
    'zh-CN': '{field}：须为有限数值，最多 6 位小数，绝对值小于 1 万亿。',
    en: '{field}: must be a finite number with at most 6 decimals, below 1e12 in size.',
  },
  'value.bad_period': { 'zh-CN': '月份“{period}”无效，应为 YYYY-MM。', en: 'The month "{period}" is invalid; use YYYY-MM.' },
  'value.bad_unit': { 'zh-CN': '未知的单位“{unit}”，可选：{allowed}。', en: 'Unknown unit "{unit}"; allowed: {allowed}.' },
  'value.target_not_lower': {
    'zh-CN': '该指标越低越好：目标值（{target}）须低于基线（{baseline}）。',
    en: 'Lower is better for this indicator: the target ({target}) must be below the baseline ({baseline}).',
  },
  'value.target_not_higher': {
    'zh-CN': '该指标越高越好：目标值（{target}）须高于基线（{baseline}）。',
    en: 'Higher is better for this indicator: the target ({target}) must be above the baseline ({baseline}).',
  },
  'value.actual_before_baseline': {
    'zh-CN': '实际值月份 {period} 须晚于基线月份 {baseline}。',
    en: 'The actual for {period} must be after the baseline month {baseline}.',
  },
  'value.baseline_after_actuals': {
    'zh-CN': '已有 {period} 的实际值，基线月份须早于它。',
    en: 'There is an actual for {period}; the baseline month must be before it.',
  },
  'value.unit_mismatch': {
    'zh-CN': '单位“{given}”与指标的单位“{expected}”不一致。',
    en: 'The unit "{given}" does not match the indicator\'s unit "{expected}".',
  },
  'value.unknown_param': {
    'zh-CN': '未知的参数：{names}（该指标的参数：{allowed}）。',
    en: 'Unknown parameters: {names} (this indicator has: {allowed}).',
  },
  'value.already_chosen': { 'zh-CN': '已选择指标“{name}”。', en: 'The indicator "{name}" is already chosen.' },
  'value.indicator_inactive': { 'zh-CN': '指标“{name}”已停用。', en: 'The indicator "{name}" is inactive.' },
  'value.import.unknown_indicator': { 'zh-CN': '指标：该客户未选择“{value}”', en: 'indicator: "{value}" is not chosen for this account' },
  'value.import.duplicate': {
    'zh-CN': '月份：同一指标的 {period} 在文件中出现多次',
    en: 'period: {period} appears more than once for this indicator',
  },
  'value.import.missing_columns': {
    'zh-CN': '文件缺少列：{columns}（需要：指标、月份、实际值）。',
    en: 'The file lacks the columns: {columns} (needed: indicator, period, value).',
  },
  'value.booking.noun': { 'zh-CN': '服务预订', en: 'booking' },
  'value.promise_not_paid': {
    'zh-CN': '只有已预订、带承诺价值的收费专家服务才能关联价值指标。',
    en: 'Only a booked paid expert service with a promised value can be linked to indicators.',
  },
  'value.promise_items': {
    'zh-CN': '有 {count} 个指标不属于该客户的价值项目。',
    en: "{count} of the indicators are not in this account's value project.",
  },
  'relationships.score_scale': {
    'zh-CN': '评分须为 {min}–{max} 的整数（收到 {score}）。',
    en: 'The score must be a whole number from {min} to {max} (got {score}).',
  },
  'relationships.evidence_required': { 'zh-CN': '请填写评估依据。', en: 'Please give the evidence for the assessment.' },
  'relationships.bad_date': { 'zh-CN': '日期“{value}”无效，应为 YYYY-MM-DD。', en: 'The date "{value}" is invalid; use YYYY-MM-DD.' },
  'relationships.future_date': { 'zh-CN': '日期 {value} 不能晚于今天。', en: 'The date {value} cannot be in the future.' },
  'kpi.period_reversed': { 'zh-CN': '期间的结束日期（{to}）早于开始日期（{from}）。', en: 'The period ends ({to}) before it starts ({from}).' },
  'kpi.weights_sum': { 'zh-CN': '权重合计须为 100（当前 {sum}）。', en: 'The weights must add up to 100 (they add up to {sum}).' },
  'kpi.weight_range': { 'zh-CN': '“{name}”的权重须为 0–100 的整数。', en: 'The weight of "{name}" must be a whole number from 0 to 100.' },
  'kpi.weight_unknown': { 'zh-CN': '未知的指标：{names}。', en: 'Unknown measure: {names}.' },
  'kpi.target_positive': { 'zh-CN': '“{name}”的目标值须大于 0。', en: 'The target of "{name}" must be above 0.' },
  'kpi.role_missing': { 'zh-CN': '缺少角色“{role}”的权重。', en: 'Weights for the role "{role}" are missing.' },
  'kpi.bands': {
    'zh-CN': '颜色阈值须满足 0 < 红色（{red}）< 黄色（{amber}）≤ 100。',
    en: 'Colour bands must satisfy 0 < red ({red}) < amber ({amber}) ≤ 100.',
  },
  'kpi.follow_up.noun': { 'zh-CN': '跟进任务', en: 'follow-up' },
  'kpi.follow_up_closed': { 'zh-CN': '该跟进任务已关闭。', en: 'This follow-up is already closed.' },
  'kpi.measure.noun': { 'zh-CN': '考核指标', en: 'measure' },
  'kpi.person.noun': { 'zh-CN': '被考核人', en: 'person' },
  'value.pdf_unavailable': {
    'zh-CN': 'PDF 暂不可用：服务器上未安装 Chromium。可先使用可打印页面。',
    en: 'The PDF is unavailable: Chromium is not installed on the server. Use the printable page instead.',
  },
  'formula.empty': { 'zh-CN': '公式不能为空。', en: 'The formula is empty.' },
  'formula.too_long': { 'zh-CN': '公式过长（上限 {max} 个字符）。', en: 'The formula is too long (at most {max} characters).' },
  'formula.too_deep': { 'zh-CN': '公式嵌套过深（上限 {max} 层）。', en: 'The formula nests too deeply (at most {max} levels).' },
  'formula.bad_char': {
    'zh-CN': '公式第 {at} 个字符“{char}”不允许：只能使用数字、参数名、+ - * / ( ) 和 min、max、round。',
    en: 'Character "{char}" at {at} is not allowed: use numbers, parameter names, + - * / ( ) and min, max, round.',
  },
  'formula.bad_number': { 'zh-CN': '公式第 {at} 个字符处的数字“{text}”无效或过大。', en: 'The number "{text}" at {at} is invalid or too large.' },
  'formula.bad_name': { 'zh-CN': '名称“{name}”过长。', en: 'The name "{name}" is too long.' },
  'formula.unexpected': { 'zh-CN': '公式第 {at} 个字符处不应出现“{text}”。', en: 'Unexpected "{text}" at {at}.' },
  'formula.unexpected_end': { 'zh-CN': '公式不完整。', en: 'The formula ends too early.' },
  'formula.expected': { 'zh-CN': '公式第 {at} 个字符处缺少“{what}”。', en: 'Expected "{what}" at {at}.' },
  'formula.unknown_function': { 'zh-CN': '未知的函数“{name}”，可用：{allowed}。', en: 'Unknown function "{name}"; available: {allowed}.' },
  'formula.arity': { 'zh-CN': '函数 {name} 的参数个数不对。', en: 'Wrong number of arguments for {name}.' },
  'formula.unknown_name': {
    'zh-CN': '公式使用了未知名称：{names}（可用：{allowed}）。',
    en: 'The formula uses unknown names: {names} (available: {allowed}).',
  },
  'formula.bad_param_name': {
    'zh-CN': '参数名“{name}”无效：须为小写字母开头的字母、数字、下划线，且不能与内置变量同名。',
    en: 'Invalid parameter name "{name}": lower-case letters, digits and _ starting with a letter, not a built-in variable.',
  },
  'formula.duplicate_param': { 'zh-CN': '参数名重复。', en: 'Parameter names repeat.' },
  'formula.division_by_zero': { 'zh-CN': '公式出现除以零（请检查参数值）。', en: 'The formula divides by zero (check the parameter values).' },
  'formula.not_finite': { 'zh-CN': '公式结果超出可计算范围。', en: 'The formula result is out of range.' },
  'formula.round_places': { 'zh-CN': 'round 的小数位须为 0 到 6 的整数。', en: 'round takes 0 to 6 decimal places.' },
  // meetings (SPEC §5)
  'meeting.noun': { 'zh-CN': '会议', en: 'meeting' },
  'action.noun': { 'zh-CN': '行动项', en: 'action item' },
  'meeting.rrule_invalid': {
    'zh-CN': '重复规则无效：请使用 RFC 5545 RRULE（如 FREQ=MONTHLY;COUNT=6）。',
    en: 'Invalid recurrence: use an RFC 5545 RRULE such as FREQ=MONTHLY;COUNT=6.',
  },
  'meeting.rrule_unbounded': {
    'zh-CN': '重复规则必须有结束：请设置次数（COUNT）或截止日期（UNTIL），最多 {max} 次。',
    en: 'A recurrence must end: set COUNT or UNTIL (at most {max} meetings).',
  },
  'meeting.rrule_too_many': {
    'zh-CN': '重复规则生成的会议过多（最多 {max} 次）。',
    en: 'The recurrence produces too many meetings (at most {max}).',
  },
  'meeting.rrule_empty': { 'zh-CN': '重复规则没有生成任何会议。', en: 'The recurrence produces no meeting.' },
  'meeting.rrule_required': { 'zh-CN': '定期会议需要重复规则。', en: 'A periodic meeting needs a recurrence rule.' },
  'meeting.rrule_only_periodic': { 'zh-CN': '只有定期会议可以设置重复规则。', en: 'Only periodic meetings take a recurrence rule.' },
  'meeting.bad_cause': { 'zh-CN': '会议类型与事由不匹配。', en: 'This cause does not fit the kind of meeting.' },
  'meeting.bad_time': { 'zh-CN': '会议时间无效。', en: 'The meeting time is not valid.' },
  'meeting.ends_before_start': { 'zh-CN': '结束时间必须晚于开始时间。', en: 'The meeting must end after it starts.' },
  'meeting.too_long': { 'zh-CN': '会议时长不能超过 {hours} 小时。', en: 'A meeting cannot last longer than {hours} hours.' },
  'meeting.line_break': { 'zh-CN': '{field} 必须为单行文本，不能包含换行。', en: '{field} must be a single line without line breaks.' },
  'meeting.control_char': { 'zh-CN': '{field} 包含不允许的控制字符。', en: '{field} contains control characters.' },
  'meeting.title_required': { 'zh-CN': '请填写标题。', en: 'A title is required.' },
  'meeting.attendee_unknown': { 'zh-CN': '参会人必须是本工作区的用户。', en: 'Attendees must be users of this workspace.' },
  'meeting.guest_unknown': {
    'zh-CN': '受邀的客户关键人必须是该客户的有效关键人。',
    en: 'Invited key persons must be active key persons of this account.',
  },
  'meeting.owner_unknown': { 'zh-CN': '负责人必须是本工作区的用户。', en: 'The owner must be a user of this workspace.' },
  'meeting.cancelled': { 'zh-CN': '会议已取消。', en: 'The meeting is cancelled.' },
  'meeting.not_scheduled': { 'zh-CN': '只有待召开的会议可以取消。', en: 'Only a scheduled meeting can be cancelled.' },
  'meeting.not_invited': { 'zh-CN': '您不在该会议的邀请名单中。', en: 'You are not invited to this meeting.' },
  'meeting.account_required': { 'zh-CN': '请选择客户。', en: 'Choose an account.' },
  'meeting.team_required': { 'zh-CN': '请选择团队。', en: 'Choose a team.' },
  'notifications.bad_quiet_hours': {
    'zh-CN': '免打扰时段需同时填写开始和结束（HH:mm），且两者不同。',
    en: 'Quiet hours need both a start and an end (HH:mm), and they must differ.',
  },
  'meeting.bad_date': { 'zh-CN': '日期格式应为 YYYY-MM-DD。', en: 'Dates are YYYY-MM-DD.' },
  'meeting.bad_policy': { 'zh-CN': '{field} 超出允许范围。', en: '{field} is out of range.' },
  'meeting.smtp_incomplete': { 'zh-CN': '配置 SMTP 主机时还需要 {field}。', en: 'With an SMTP host, {field} is required too.' },
  'meeting.llm_incomplete': { 'zh-CN': '配置大模型地址时还需要模型名称。', en: 'With an LLM base URL, a model is required too.' },
  'meeting.llm_blocked': {
    'zh-CN': '大模型地址指向内网或本机地址（{address}），已拒绝。',
    en: 'The LLM address points at an internal or loopback address ({address}) and is refused.',
  },
  // IM channels
  'channels.robot.noun': { 'zh-CN': 'IM 机器人', en: 'IM robot' },
  'channels.bad_url': {
    'zh-CN': '机器人地址须为不含用户名密码的 http(s) URL。',
    en: 'The robot address must be an http(s) URL without credentials.',
  },
  'channels.bad_url.wecom': {
    'zh-CN': '企业微信群机器人地址应形如 https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
    en: 'A WeCom group robot address looks like https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…',
  },
  'channels.bad_url.dingtalk': {
    'zh-CN': '钉钉自定义机器人地址应形如 https://oapi.dingtalk.com/robot/send?access_token=…',
    en: 'A DingTalk custom robot address looks like https://oapi.dingtalk.com/robot/send?access_token=…',
  },
  'channels.bad_url.feishu': {
    'zh-CN': '飞书自定义机器人地址应形如 https://open.feishu.cn/open-apis/bot/v2/hook/…',
    en: 'A Feishu custom bot address looks like https://open.feishu.cn/open-apis/bot/v2/hook/…',
  },
  'channels.blocked_address': {
    'zh-CN': '机器人地址指向内网或本机地址（{address}），已拒绝：只有运维人员可以放行内部主机。',
    en: 'The robot address points at an internal or loopback address ({address}) and is refused: only the operator can allow internal hosts.',
  },
  'channels.secret_not_used': {
    'zh-CN': '企业微信群机器人不使用加签密钥（密钥就是地址中的 key）。',
    en: 'WeCom group robots do not sign: the key in the address is their credential.',
  },
  'channels.bad_secret': {
    'zh-CN': '加签密钥应为 8–200 个可见字符（钉钉以 SEC 开头）。',
    en: 'The signing secret is 8–200 visible characters (DingTalk’s start with SEC).',
  },
  'channels.failure.rejected': {
    'zh-CN': '机器人拒绝了消息（平台错误码 {code}）：请检查地址、加签密钥和关键词设置。',
    en: 'The robot refused the message (platform code {code}): check the address, the signing secret and any keyword rule.',
  },
  'channels.failure.rate_limited': {
    'zh-CN': '发送过于频繁，已达到平台对该机器人的频率限制：消息会稍后自动重发。',
    en: 'Too many messages: the platform’s rate limit for this robot is reached; the message is sent again later.',
  },
  'channels.failure.unreachable': {
    'zh-CN': '未能送达该机器人：平台没有正常应答。请检查地址，或稍后再试。',
    en: 'The message did not reach the robot: the platform did not answer as expected. Check the address or try again later.',
  },
  'channels.failure.blocked': {
    'zh-CN': '机器人地址解析到内网或本机地址，已按运维策略拒绝发送。',
    en: 'The robot address resolves to an internal or loopback address and was refused by the operator’s policy.',
  },
  'channels.test.title': { 'zh-CN': 'Keyward 测试消息', en: 'Keyward test message' },
  'channels.test.body': {
    'zh-CN': '机器人「{name}」已连通，今后的通知会发到这个群。\n\n> 由 {by} 发起测试',
    en: 'The robot "{name}" is connected: notifications will arrive in this group.\n\n> Test sent by {by}',
  },
  'channels.test.sent': { 'zh-CN': '测试消息已送达。', en: 'The test message was delivered.' },
  'meeting.smtp_blocked': {
    'zh-CN': 'SMTP 主机是内网或本机地址（{address}），已拒绝：只有运维人员可以放行内部主机。',
    en: 'The SMTP host is an internal or loopback address ({address}) and is refused: only the operator can allow internal hosts.',
  },
  'meeting.smtp_bad_host': { 'zh-CN': 'SMTP 主机名无效。', en: 'The SMTP host name is not valid.' },
  'meeting.test_mail_unconfigured': {
    'zh-CN': '尚未配置 SMTP：请先填写主机、端口和发件人。',
    en: 'SMTP is not configured yet: fill in the host, port and sender first.',
  },
  'meeting.test_mail_failed': {
    'zh-CN': '测试邮件未能发出：无法通过该 SMTP 服务器完成发送。请检查主机、端口、TLS 与账号密码后重试。',
    en: 'The test mail could not be sent through this SMTP server. Check the host, port, TLS and credentials, then try again.',
  },
  'meeting.llm_bad_url': {
    'zh-CN': '大模型地址须为不含用户名密码的 http(s) URL。',
    en: 'The LLM base URL must be an http(s) URL without credentials.',
  },
  'portal.post.noun': { 'zh-CN': '门户内容', en: 'portal post' },
  'portal.demand.noun': { 'zh-CN': '需求', en: 'need' },
  'portal.milestone.noun': { 'zh-CN': '交付里程碑', en: 'milestone' },
  'portal.no_team': {
    'zh-CN': '该客户尚未配置铁三角，暂时无法受理申请。',
    en: 'This account has no iron triangle yet, so the request cannot be taken.',
  },
  'portal.demand_closed': { 'zh-CN': '该需求已关闭。', en: 'This need is closed.' },
  'portal.already_captured': { 'zh-CN': '该需求已转为商机。', en: 'This need has already become an opportunity.' },
  'portal.link_invalid': { 'zh-CN': '链接无效或已使用，请重新申请。', en: 'This link is invalid or was already used; ask for a new one.' },
  'portal.link_expired': { 'zh-CN': '链接已过期，请重新申请。', en: 'This link has expired; ask for a new one.' },
  'portal.reset_sent': { 'zh-CN': '如果该邮箱已开通门户，重置链接已发出。', en: 'If this address has a portal login, a reset link is on its way.' },
  'portal.mail.invite.subject': { 'zh-CN': '{workspace} 邀请您加入客户运营平台', en: '{workspace} invites you to your customer portal' },
  'portal.mail.invite.text': {
    'zh-CN':
      '{name}，您好：\n\n{workspace} 为{account}开通了客户运营平台。请在 7 天内打开以下链接设置密码（仅可使用一次）：\n{url}\n\n如非本人操作，请忽略本邮件。',
    en: 'Hello {name},\n\n{workspace} has opened the customer portal for {account}. Set your password within 7 days with this one-time link:\n{url}\n\nIf this was not meant for you, ignore this mail.',
  },
  'portal.mail.reset.subject': { 'zh-CN': '{workspace} 客户运营平台：重置密码', en: '{workspace} customer portal: reset your password' },
  'portal.mail.reset.text': {
    'zh-CN': '{name}，您好：\n\n请在 1 小时内打开以下链接重置密码（仅可使用一次）：\n{url}\n\n如非本人操作，请忽略本邮件，您的密码不会改变。',
    en: 'Hello {name},\n\nReset your password within one hour with this one-time link:\n{url}\n\nIf you did not ask for this, ignore this mail; your password stays the same.',
  },
  'portal.reason.need': {
    'zh-CN': '{by} 在门户提出该需求，已讨论 {messages} 条，尚未转为商机。',
    en: '{by} posted this need in the portal ({messages} messages so far); not yet an opportunity.',
  },
  'portal.reason.interest': {
    'zh-CN': '近 {days} 天内 {people} 位关键人浏览了 {views} 次，但尚未申请。',
    en: '{people} key person(s) viewed it {views} times in the last {days} days without requesting it.',
  },
  'portal.reason.task': {
    'zh-CN': '近 {days} 天关键人的浏览、申请和讨论指向“{task}”（权重 {weight}）：推荐服务该任务的服务产品。',
    en: 'Key persons\' views, requests and discussions in the last {days} days point to "{task}" (weight {weight}): suggest service products for it.',
  },
  'portal.page.home': { 'zh-CN': '门户首页页', en: 'the home page' },
  'portal.page.solutions': { 'zh-CN': '方案介绍页', en: 'the solutions page' },
  'portal.page.catalog': { 'zh-CN': '服务菜单页', en: 'the service menu page' },
  'portal.page.delivery': { 'zh-CN': '交付进展页', en: 'the delivery page' },
  'portal.page.value': { 'zh-CN': '运营成效页', en: 'the operations & value page' },
  'portal.page.tickets': { 'zh-CN': '问题处理页', en: 'the issues page' },
  'portal.page.needs': { 'zh-CN': '需求互动页', en: 'the needs page' },
  'task.capture': { 'zh-CN': '捕捉商机', en: 'capture opportunities' },
  'task.incubate': { 'zh-CN': '孵化商机', en: 'incubate opportunities' },
  'task.closeness': { 'zh-CN': '关系紧密度', en: 'relationship closeness' },
  'task.solution': { 'zh-CN': '方案认可度', en: 'solution acceptance' },
  'task.price': { 'zh-CN': '价格接受度', en: 'price acceptance' },
  'task.behaviour': { 'zh-CN': '掌握项目行为规律', en: 'master project behaviour patterns' },
  'action.bad_move': { 'zh-CN': '行动项不能从「{from}」变为「{to}」。', en: 'An action item cannot go from {from} to {to}.' },
  // email in (support mailbox)
  'email_in.noun': { 'zh-CN': '来信', en: 'incoming mail' },
  'email_in.bad_address': {
    'zh-CN': '请填写一个有效的邮箱地址，如 support@example.com。',
    en: 'Enter one valid address, such as support@example.com.',
  },
  'email_in.address_taken': {
    'zh-CN': '这个地址不能用作支持邮箱，请换一个本企业专用的地址。',
    en: 'This address cannot be used as the support mailbox; use an address of your own.',
  },
  'email_in.imap_incomplete': { 'zh-CN': '配置 IMAP 主机时还需要 {field}。', en: 'With an IMAP host, {field} is required too.' },
  'email_in.host_blocked': {
    'zh-CN': '不能连接内部地址 {host}：回环和私有地址须由运维人员在 KW_OUTBOUND_ALLOW_HOSTS 中放行。',
    en: 'Cannot connect to the internal address {host}: loopback and private hosts must be allowed by the operator (KW_OUTBOUND_ALLOW_HOSTS).',
  },
  'email_in.not_configured': { 'zh-CN': '尚未配置 IMAP 主机、用户名和密码。', en: 'The IMAP host, user and password are not set yet.' },
  'email_in.connect_failed': {
    'zh-CN': '无法连接或登录邮箱。请检查主机、端口、加密方式、用户名和密码。',
    en: 'Could not connect or sign in to the mailbox. Check the host, port, TLS, user and password.',
  },
  'email_in.connected': {
    'zh-CN': '已连接并登录，邮件夹「{folder}」中有 {count} 封邮件。',
    en: 'Connected and signed in; folder "{folder}" holds {count} messages.',
  },
  // outreach (issue 18): campaigns, consent, frequency caps, one-click unsubscribe
  'campaign.noun': { 'zh-CN': '触达活动', en: 'campaign' },
  'message.noun': { 'zh-CN': '消息', en: 'message' },
  'outreach_settings.noun': { 'zh-CN': '触达设置', en: 'outreach settings' },
  'outreach.quiet_pair': { 'zh-CN': '免打扰时段须同时填写开始和结束时间。', en: 'Quiet hours need both a start and an end.' },
  'outreach.unknown_variable': {
    'zh-CN': '未知的变量 {name}：可用的变量为 name（姓名）和 account（客户），写在双花括号中。',
    en: 'Unknown variable {name}: the variables are name and account, written in double braces.',
  },
  'outreach.empty_audience': { 'zh-CN': '请选择分群条件或联系人。', en: 'Choose segment conditions or contacts.' },
  'outreach.not_draft': {
    'zh-CN': '该触达活动已发送或已取消，不能再修改或发送。',
    en: 'This campaign was already sent or cancelled; it cannot be changed or sent.',
  },
  'outreach.finished': { 'zh-CN': '该触达活动已结束，无法取消。', en: 'This campaign has finished; it cannot be cancelled.' },
  'outreach.unsubscribe.title': { 'zh-CN': '退订', en: 'Unsubscribe' },
  'outreach.unsubscribe.page': { 'zh-CN': '确认不再接收此类邮件？', en: 'Stop receiving these messages?' },
  'outreach.unsubscribe.button': { 'zh-CN': '退订', en: 'Unsubscribe' },
  'outreach.unsubscribe.done': { 'zh-CN': '您已退订，不会再收到此类邮件。', en: 'You are unsubscribed and will not receive these messages again.' },
  'outreach.unsubscribe.invalid': { 'zh-CN': '该退订链接无效。', en: 'This unsubscribe link is not valid.' },
  // people and portraits (issue 18 point 1): tags by hand, by import and by behaviour rules
  'outreach_tag_rule.noun': { 'zh-CN': '标签规则', en: 'tag rule' },
  'outreach_tag.noun': { 'zh-CN': '标签', en: 'tag' },
  'outreach.tag_invalid': { 'zh-CN': '标签不能为空，且不超过 50 个字。', en: 'A tag must not be empty and has at most 50 characters.' },
  'outreach.tag_exists': { 'zh-CN': '此人已有手动标签「{tag}」。', en: 'This person already has the manual tag "{tag}".' },
  'import.contact_unknown': { 'zh-CN': '{column}：没有找到联系人“{value}”', en: '{column}: no contact "{value}"' },
  'import.email_ambiguous': {
    'zh-CN': '{column}：有多个联系人使用“{value}”，请改填联系人ID',
    en: '{column}: several contacts use "{value}"; give the contact ID instead',
  },
  'import.tag_invalid': {
    'zh-CN': '{column}：标签“{value}”为空或超过 50 个字',
    en: '{column}: the tag "{value}" is empty or longer than 50 characters',
  },
  // referral links (裂变): the public page of a person's link
  'outreach.referral.title': { 'zh-CN': '推荐给朋友', en: 'Recommend us' },
  'outreach.referral.intro': {
    'zh-CN': '您的朋友向您推荐了我们。留下联系方式，我们会尽快与您联系。',
    en: 'A friend recommended us to you. Leave your details and we will be in touch.',
  },
  'outreach.referral.name': { 'zh-CN': '姓名', en: 'Name' },
  'outreach.referral.email': { 'zh-CN': '邮箱', en: 'Email' },
  'outreach.referral.phone': { 'zh-CN': '手机', en: 'Phone' },
  'outreach.referral.company': { 'zh-CN': '公司', en: 'Company' },
  'outreach.referral.consent': {
    'zh-CN': '我同意对方保存以上信息，并通过邮件或电话与我联系。',
    en: 'I agree that my details are kept and that I may be contacted by email or phone.',
  },
  'outreach.referral.submit': { 'zh-CN': '提交', en: 'Send' },
  'outreach.referral.done': { 'zh-CN': '谢谢！我们会尽快与您联系。', en: 'Thank you! We will be in touch soon.' },
  'outreach.referral.invalid': { 'zh-CN': '该链接无效。', en: 'This link is not valid.' },
  'outreach.referral.consent_required': { 'zh-CN': '请勾选同意后再提交。', en: 'Please tick the consent box to send.' },
  'outreach.referral.reach_required': { 'zh-CN': '请填写邮箱或手机。', en: 'Please give an email or a phone number.' },
  'outreach.referral.bad_field': { 'zh-CN': '请检查：{field}', en: 'Please check: {field}' },
  // commerce (issue 16): contracts, delivery projects, collections, renewals
  'error.stale': {
    'zh-CN': '该{what}已被他人修改，请刷新后再试。',
    en: 'Someone else changed this {what} meanwhile; reload it and try again.',
  },
  'error.stale_by': {
    'zh-CN': '{who} 于 {when} 修改了该{what}，您看到的已不是最新内容。请重新加载后再改（您的输入仍保留）。',
    en: '{who} changed this {what} at {when}; what you see is no longer current. Reload it and change it again (your input is kept).',
  },
  'error.stale_unknown': {
    'zh-CN': '该{what}已被他人修改，您看到的已不是最新内容。请重新加载后再改。',
    en: 'Someone else changed this {what} meanwhile; reload it and change it again.',
  },
  'error.precondition_required': {
    'zh-CN': '修改须附带所依据的版本（If-Match 或 version），请重新加载后再改。',
    en: 'An update must name the version it was made from (If-Match or version); reload and try again.',
  },
  'error.if_match': { 'zh-CN': 'If-Match 须为记录的 ETag，例如 "3"。', en: 'If-Match must be the record\'s ETag, e.g. "3".' },
  'error.if_match_differs': {
    'zh-CN': 'If-Match 与请求中的 version 不一致。',
    en: 'If-Match and the version in the body differ.',
  },
  'grading.noun': { 'zh-CN': '分级模型', en: 'grading model' },
  'meeting_settings.noun': { 'zh-CN': '会议设置', en: 'meeting settings' },
  'sla_calendar.noun': { 'zh-CN': '工作日历', en: 'business calendar' },
  'sla_policies.noun': { 'zh-CN': 'SLA 策略', en: 'SLA policies' },
  'health_model.noun': { 'zh-CN': '健康度权重', en: 'health weights' },
  'kpi_settings.noun': { 'zh-CN': 'KPI 权重', en: 'KPI weights' },
  'value_add_settings.noun': { 'zh-CN': '增值服务设置', en: 'value-add settings' },
  'commerce_settings.noun': { 'zh-CN': '商务设置', en: 'commerce settings' },
  'workspace_settings.noun': { 'zh-CN': '工作区设置', en: 'workspace settings' },
  'sso_settings.noun': { 'zh-CN': '单点登录设置', en: 'single sign-on settings' },
  'mailbox_settings.noun': { 'zh-CN': '支持邮箱设置', en: 'support mailbox settings' },
  'webhook_settings.noun': { 'zh-CN': 'Webhook 设置', en: 'webhook settings' },
  'notification_prefs.noun': { 'zh-CN': '通知偏好', en: 'notification preferences' },
  'actor.system': { 'zh-CN': '系统', en: 'The system' },
  'grading_override.noun': { 'zh-CN': '手动调整', en: 'override' },
  'contract.noun': { 'zh-CN': '合同', en: 'contract' },
  'project.noun': { 'zh-CN': '交付项目', en: 'delivery project' },
  'project_milestone.noun': { 'zh-CN': '项目里程碑', en: 'project milestone' },
  'time_entry.noun': { 'zh-CN': '工时记录', en: 'time entry' },
  'plan_item.noun': { 'zh-CN': '回款计划', en: 'payment plan item' },
  'payment.noun': { 'zh-CN': '回款', en: 'payment' },
  'commerce.term_order': { 'zh-CN': '合同结束日期不能早于开始日期。', en: "The contract's end cannot be before its start." },
  'commerce.signed_after_end': { 'zh-CN': '签订日期不能晚于合同结束日期。', en: 'The contract cannot be signed after it ends.' },
  'commerce.maintenance_before_end': {
    'zh-CN': '维保到期日不能早于合同结束日期。',
    en: 'Maintenance cannot end before the contract does.',
  },
  'commerce.number_taken': { 'zh-CN': '合同编号“{number}”已存在。', en: 'Contract number {number} is already taken.' },
  'commerce.not_on_contract': {
    'zh-CN': '该回款计划不属于这份合同。',
    en: 'This payment plan item belongs to another contract.',
  },
  'commerce.has_records': {
    'zh-CN': '该{what}下已有记录（{count} 条），不能删除。',
    en: 'This {what} has records under it ({count}), so it cannot be deleted.',
  },
  'commerce.not_engineer': { 'zh-CN': '只能为本工作区的员工登记工时。', en: 'Time can only be booked for people of this workspace.' },
  'commerce.override_reason': {
    'zh-CN': '手动调整计算得出的分级因子须写明原因。',
    en: 'Overriding a computed grading factor needs a reason.',
  },
  'commerce.renewal.title': { 'zh-CN': '续约：{number} {title}', en: 'Renewal: {number} {title}' },
  'commerce.renewal.reason': {
    'zh-CN': '合同 {number} 将于 {endsOn} 到期（{days} 天后），建议进入续约期。',
    en: 'Contract {number} ends on {endsOn} (in {days} days): the account should move to renewal.',
  },
  'email_in.already_decided': { 'zh-CN': '这封来信已处理过（{status}）。', en: 'This mail has been dealt with already ({status}).' },
  'email_in.status.ticketed': { 'zh-CN': '已建工单', en: 'made a ticket' },
  'email_in.status.ignored': { 'zh-CN': '已忽略', en: 'dismissed' },
  'email_in.status.triage': { 'zh-CN': '待分拣', en: 'waiting in triage' },
};

export function translate(locale: Locale, key: string, params: Record<string, string | number> = {}): string {
  const entry = catalog[key];
  const text = entry ? entry[locale] : key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => {
    const v = params[name];
    if (v === undefined) return `{${name}}`;
    // parameters that are themselves catalog keys are translated too (e.g. the noun in not_found)
    return typeof v === 'string' && catalog[v] ? catalog[v][locale] : String(v);
  });
}

export function hasMessage(key: string): boolean {
  return key in catalog;
}
