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
  'error.internal': { 'zh-CN': '服务器内部错误，请稍后再试。', en: 'Internal server error; please try again later.' },
  'error.unsupported_media': { 'zh-CN': '不支持的内容类型。', en: 'Unsupported content type.' },
  'error.wrong_password': { 'zh-CN': '当前密码不正确。', en: 'The current password is incorrect.' },
  'error.weak_password': {
    'zh-CN': '新密码至少 10 位，且需同时包含字母和数字。',
    en: 'The new password needs at least 10 characters with letters and digits.',
  },
  'error.email_taken': { 'zh-CN': '该邮箱已被使用。', en: 'This email is already in use.' },
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
  'import.cell.invalid': { 'zh-CN': '{column}：{detail}', en: '{column}: {detail}' },
  'import.dup_in_file': { 'zh-CN': '{column}：与第 {other} 行重复', en: '{column}: repeats row {other}' },
  'import.dup_in_db': { 'zh-CN': '{column}：“{value}”已存在', en: '{column}: "{value}" already exists' },
  'import.owner_unknown': {
    'zh-CN': '{column}：本工作区没有邮箱为 {value} 的在职用户',
    en: '{column}: no active user with the email {value} in this workspace',
  },
  'import.partner_unknown': { 'zh-CN': '{column}：没有名为“{value}”的渠道商', en: '{column}: no channel partner named "{value}"' },
  'import.account_unknown': { 'zh-CN': '{column}：没有名为“{value}”的客户', en: '{column}: no account named "{value}"' },
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
