// The default indicator library for after-sales service software (seed 001, 图5): the service process
// in nine stages × three dimensions, two indicators per cell, each bilingual, with its unit, the
// direction that is better, and a monetisation formula giving yuan per month from named parameters.
// Shipped as data; copied into a workspace on first use and editable there.
import { builtinVariables, namesIn, parseFormula } from './formula.domain.js';
import type { Bilingual, Direction, ParamDef } from './monetise.domain.js';

export const solutionTypes = { after_sales_software: { 'zh-CN': '售后服务软件', en: 'After-sales service software' } } as const;
export type SolutionType = keyof typeof solutionTypes;
export const DEFAULT_SOLUTION: SolutionType = 'after_sales_software';

export const stages = [
  ['intake', '报修受理', 'Request intake'],
  ['dispatch', '派工调度', 'Dispatch'],
  ['handling', '现场/远程处理', 'On-site / remote handling'],
  ['parts', '备件管理', 'Spare parts'],
  ['completion', '完工确认', 'Completion'],
  ['followup', '服务回访', 'Follow-up visit'],
  ['settlement', '费用结算', 'Settlement'],
  ['evaluation', '服务评价', 'Evaluation'],
  ['improvement', '分析改进', 'Analysis & improvement'],
] as const;
export type StageKey = (typeof stages)[number][0];
export const stageKeys = stages.map((s) => s[0]) as StageKey[];

export const dimensions = [
  ['efficiency', '效率', 'Efficiency'],
  ['cost', '成本', 'Cost'],
  ['revenue', '收入与体验', 'Revenue & experience'],
] as const;
export type DimensionKey = (typeof dimensions)[number][0];
export const dimensionKeys = dimensions.map((d) => d[0]) as DimensionKey[];

export const units = {
  minute: { 'zh-CN': '分钟', en: 'min' },
  hour: { 'zh-CN': '小时', en: 'h' },
  day: { 'zh-CN': '天', en: 'days' },
  percent: { 'zh-CN': '%', en: '%' },
  count: { 'zh-CN': '次/月', en: 'per month' },
  yuan: { 'zh-CN': '元/月', en: 'CNY/month' },
  km: { 'zh-CN': '公里', en: 'km' },
  score: { 'zh-CN': '分', en: 'points' },
} as const satisfies Record<string, Bilingual>;
export type UnitKey = keyof typeof units;
export const unitKeys = Object.keys(units) as UnitKey[];

/** Every parameter a default formula may use, with its label, unit and a typical value. */
const P: Record<string, [string, string, string, number]> = {
  monthly_requests: ['月报修量', 'Requests per month', '次', 2000],
  monthly_orders: ['月工单量', 'Work orders per month', '单', 800],
  monthly_visits: ['月上门次数', 'On-site visits per month', '次', 600],
  monthly_parts_orders: ['月备件需求单数', 'Spare-part requests per month', '单', 300],
  monthly_followups: ['月回访量', 'Follow-ups per month', '次', 700],
  monthly_invoices: ['月结算单数', 'Settlement statements per month', '张', 500],
  monthly_bad_reviews: ['月差评数', 'Poor ratings per month', '条', 20],
  monthly_billing: ['月结算金额', 'Billing per month', '元', 600000],
  agent_hour_cost: ['坐席人工成本', 'Agent cost per hour', '元/小时', 80],
  dispatcher_hour_cost: ['调度员人工成本', 'Dispatcher cost per hour', '元/小时', 90],
  engineer_hour_cost: ['工程师人工成本', 'Engineer cost per hour', '元/小时', 150],
  clerk_hour_cost: ['结算专员人工成本', 'Billing clerk cost per hour', '元/小时', 70],
  cost_per_call: ['单次人工电话成本', 'Cost of one handled call', '元', 12],
  cost_per_escalation: ['单次升级处理成本', 'Cost of one escalation', '元', 150],
  revenue_per_request: ['单次服务收入', 'Service revenue per request', '元', 60],
  manual_dispatch_cost: ['单次人工派工成本', 'Cost of one manual dispatch', '元', 15],
  cost_per_km: ['每公里出行成本', 'Travel cost per km', '元/公里', 2.5],
  redispatch_cost: ['单次改派成本', 'Cost of one re-dispatch', '元', 120],
  sla_penalty: ['单次超时赔付', 'Penalty per missed SLA', '元', 200],
  downtime_cost_per_hour: ['设备停机损失', 'Downtime cost per hour', '元/小时', 500],
  visit_cost: ['单次上门成本', 'Cost of one on-site visit', '元', 350],
  revisit_cost: ['单次返修成本', 'Cost of one repeat visit', '元', 400],
  installed_units: ['在保设备台数', 'Installed units', '台', 50],
  output_per_hour: ['单台设备每小时产值', 'Output per unit-hour', '元', 30],
  waiting_cost_per_day: ['缺件等待日损失', 'Cost per day waiting for a part', '元/天', 80],
  emergency_shipping_cost: ['单次紧急调货成本', 'Cost of one emergency shipment', '元', 180],
  holding_rate: ['库存年持有成本率', 'Annual inventory holding rate', '%', 20],
  inventory_amount: ['备件库存金额', 'Spare-part inventory', '元', 2000000],
  gross_margin: ['毛利率', 'Gross margin', '%', 35],
  old_part_value: ['旧件残值', 'Salvage value of a returned part', '元', 60],
  paper_cost: ['纸质单据成本', 'Paper form cost', '元', 8],
  correction_cost: ['单次差错纠正成本', 'Cost of correcting one error', '元', 40],
  avg_upsell_value: ['单次增值服务金额', 'Value of one add-on service', '元', 1500],
  issue_catch_rate: ['回访发现问题比例', 'Share of follow-ups that catch an issue', '%', 5],
  complaint_cost: ['单次投诉处理成本', 'Cost of one complaint', '元', 800],
  lead_win_rate: ['商机赢单率', 'Lead win rate', '%', 20],
  avg_deal_value: ['平均商机金额', 'Average deal value', '元', 30000],
  active_customers: ['活跃终端客户数', 'Active end customers', '家', 200],
  monthly_spend: ['客户月均消费', 'Monthly spend per customer', '元', 2000],
  capital_rate: ['资金年成本率', 'Annual cost of capital', '%', 6],
  insight_value: ['单条评价的改进价值', 'Improvement value of one rating', '元', 5],
  churn_cost_per_day: ['差评每拖延一天的流失损失', 'Churn cost per day a poor rating waits', '元/天', 50],
  bad_review_cost: ['单条差评损失', 'Cost of one poor rating', '元', 300],
  csat_elasticity: ['满意度每分带来的收入增幅', 'Revenue uplift per satisfaction point', '%', 1],
  referral_value_per_point: ['NPS 每分的转介绍价值', 'Referral value per NPS point', '元', 2000],
  minutes_saved: ['每次使用知识库节省时长', 'Minutes saved per knowledge-base use', '分钟', 20],
  breakdown_cost: ['单次故障维修成本', 'Cost of one breakdown repair', '元', 1200],
  pm_cost: ['单次预防性维护成本', 'Cost of one preventive service', '元', 400],
  value_per_project: ['单个改进项目月均价值', 'Monthly value of one improvement', '元', 20000],
  contracts_due: ['年内到期服务合同数', 'Service contracts due this year', '份', 10],
  avg_contract_value: ['服务合同平均金额', 'Average service contract value', '元/年', 120000],
};

type Row = [stage: StageKey, dimension: DimensionKey, key: string, zh: string, en: string, unit: UnitKey, direction: Direction, formula: string];

const rows: Row[] = [
  ['intake', 'efficiency', 'intake_response_minutes', '平均受理响应时长', 'Average intake response time', 'minute', 'down', 'improvement / 60 * monthly_requests * agent_hour_cost'],
  ['intake', 'efficiency', 'self_service_rate', '自助报修占比', 'Self-service request share', 'percent', 'up', 'improvement / 100 * monthly_requests * cost_per_call'],
  ['intake', 'cost', 'cost_per_request', '单次受理成本', 'Cost per request handled', 'yuan', 'down', 'improvement * monthly_requests'],
  ['intake', 'cost', 'duplicate_request_rate', '重复报修率', 'Duplicate request rate', 'percent', 'down', 'improvement / 100 * monthly_requests * cost_per_call'],
  ['intake', 'revenue', 'first_contact_resolution', '首次接触解决率', 'First-contact resolution rate', 'percent', 'up', 'improvement / 100 * monthly_requests * cost_per_escalation'],
  ['intake', 'revenue', 'abandon_rate', '呼损率', 'Abandoned request rate', 'percent', 'down', 'improvement / 100 * monthly_requests * revenue_per_request'],
  ['dispatch', 'efficiency', 'dispatch_minutes', '平均派工时长', 'Average time to dispatch', 'minute', 'down', 'improvement / 60 * monthly_orders * dispatcher_hour_cost'],
  ['dispatch', 'efficiency', 'auto_dispatch_rate', '自动派工率', 'Automatic dispatch rate', 'percent', 'up', 'improvement / 100 * monthly_orders * manual_dispatch_cost'],
  ['dispatch', 'cost', 'travel_km', '单次平均行驶里程', 'Average travel per visit', 'km', 'down', 'improvement * monthly_visits * cost_per_km'],
  ['dispatch', 'cost', 'redispatch_rate', '改派率', 'Re-dispatch rate', 'percent', 'down', 'improvement / 100 * monthly_orders * redispatch_cost'],
  ['dispatch', 'revenue', 'on_time_arrival_rate', '准时到达率', 'On-time arrival rate', 'percent', 'up', 'improvement / 100 * monthly_visits * sla_penalty'],
  ['dispatch', 'revenue', 'sla_response_rate', '响应 SLA 达成率', 'Response SLA compliance', 'percent', 'up', 'improvement / 100 * monthly_orders * sla_penalty'],
  ['handling', 'efficiency', 'mttr_hours', '平均修复时长', 'Mean time to repair', 'hour', 'down', 'improvement * monthly_orders * downtime_cost_per_hour'],
  ['handling', 'efficiency', 'remote_resolution_rate', '远程解决率', 'Remote resolution rate', 'percent', 'up', 'improvement / 100 * monthly_orders * visit_cost'],
  ['handling', 'cost', 'onsite_visits', '月上门次数', 'On-site visits per month', 'count', 'down', 'improvement * visit_cost'],
  ['handling', 'cost', 'engineer_hours_per_order', '单工单工时', 'Engineer hours per order', 'hour', 'down', 'improvement * monthly_orders * engineer_hour_cost'],
  ['handling', 'revenue', 'first_time_fix_rate', '一次修复率', 'First-time fix rate', 'percent', 'up', 'improvement / 100 * monthly_orders * revisit_cost'],
  ['handling', 'revenue', 'equipment_uptime', '设备可用率', 'Equipment uptime', 'percent', 'up', 'improvement / 100 * installed_units * 720 * output_per_hour'],
  ['parts', 'efficiency', 'parts_lead_days', '备件到位时长', 'Spare-part lead time', 'day', 'down', 'improvement * monthly_parts_orders * waiting_cost_per_day'],
  ['parts', 'efficiency', 'parts_fill_rate', '备件一次满足率', 'Spare-part first-fill rate', 'percent', 'up', 'improvement / 100 * monthly_parts_orders * emergency_shipping_cost'],
  ['parts', 'cost', 'parts_inventory', '备件库存金额', 'Spare-part inventory value', 'yuan', 'down', 'improvement * holding_rate / 100 / 12'],
  ['parts', 'cost', 'obsolete_parts_rate', '呆滞备件占比', 'Obsolete stock share', 'percent', 'down', 'improvement / 100 * inventory_amount * holding_rate / 100 / 12'],
  ['parts', 'revenue', 'parts_sales', '备件销售额', 'Spare-part sales', 'yuan', 'up', 'improvement * gross_margin / 100'],
  ['parts', 'revenue', 'old_parts_return_rate', '旧件返还率', 'Returned old-part rate', 'percent', 'up', 'improvement / 100 * monthly_parts_orders * old_part_value'],
  ['completion', 'efficiency', 'closing_minutes', '完工填报时长', 'Time to close out an order', 'minute', 'down', 'improvement / 60 * monthly_orders * engineer_hour_cost'],
  ['completion', 'efficiency', 'e_signoff_rate', '电子签收率', 'Electronic sign-off rate', 'percent', 'up', 'improvement / 100 * monthly_orders * paper_cost'],
  ['completion', 'cost', 'reopen_rate', '工单重开率', 'Re-opened order rate', 'percent', 'down', 'improvement / 100 * monthly_orders * revisit_cost'],
  ['completion', 'cost', 'report_error_rate', '完工报告差错率', 'Completion report error rate', 'percent', 'down', 'improvement / 100 * monthly_orders * correction_cost'],
  ['completion', 'revenue', 'on_time_completion_rate', '按期完工率', 'On-time completion rate', 'percent', 'up', 'improvement / 100 * monthly_orders * sla_penalty'],
  ['completion', 'revenue', 'onsite_upsells', '现场增值服务成交数', 'Add-on services sold on site', 'count', 'up', 'improvement * avg_upsell_value * gross_margin / 100'],
  ['followup', 'efficiency', 'followup_coverage', '回访覆盖率', 'Follow-up coverage', 'percent', 'up', 'improvement / 100 * monthly_orders * issue_catch_rate / 100 * complaint_cost'],
  ['followup', 'efficiency', 'followup_minutes', '单次回访时长', 'Time per follow-up', 'minute', 'down', 'improvement / 60 * monthly_followups * agent_hour_cost'],
  ['followup', 'cost', 'complaints', '月投诉量', 'Complaints per month', 'count', 'down', 'improvement * complaint_cost'],
  ['followup', 'cost', 'manual_followup_share', '人工回访占比', 'Manual follow-up share', 'percent', 'down', 'improvement / 100 * monthly_followups * cost_per_call'],
  ['followup', 'revenue', 'followup_leads', '回访捕捉商机数', 'Leads captured in follow-ups', 'count', 'up', 'improvement * lead_win_rate / 100 * avg_deal_value'],
  ['followup', 'revenue', 'repurchase_rate', '复购率', 'Repurchase rate', 'percent', 'up', 'improvement / 100 * active_customers * monthly_spend'],
  ['settlement', 'efficiency', 'settlement_days', '结算周期', 'Settlement cycle', 'day', 'down', 'improvement * monthly_billing / 30 * capital_rate / 100 / 12'],
  ['settlement', 'efficiency', 'statement_minutes', '单张结算单处理时长', 'Time per settlement statement', 'minute', 'down', 'improvement / 60 * monthly_invoices * clerk_hour_cost'],
  ['settlement', 'cost', 'billing_error_rate', '结算差错率', 'Billing error rate', 'percent', 'down', 'improvement / 100 * monthly_invoices * correction_cost'],
  ['settlement', 'cost', 'unbilled_rate', '漏收费率', 'Unbilled service rate', 'percent', 'down', 'improvement / 100 * monthly_billing'],
  ['settlement', 'revenue', 'collection_rate', '按期回款率', 'On-time collection rate', 'percent', 'up', 'improvement / 100 * monthly_billing * capital_rate / 100'],
  ['settlement', 'revenue', 'paid_service_revenue', '有偿服务收入', 'Paid service revenue', 'yuan', 'up', 'improvement * gross_margin / 100'],
  ['evaluation', 'efficiency', 'rating_response_rate', '评价回收率', 'Rating response rate', 'percent', 'up', 'improvement / 100 * monthly_orders * insight_value'],
  ['evaluation', 'efficiency', 'poor_rating_days', '差评处理时长', 'Time to handle a poor rating', 'day', 'down', 'improvement * monthly_bad_reviews * churn_cost_per_day'],
  ['evaluation', 'cost', 'poor_rating_rate', '差评率', 'Poor rating rate', 'percent', 'down', 'improvement / 100 * monthly_orders * bad_review_cost'],
  ['evaluation', 'cost', 'compensation', '月服务赔付金额', 'Service compensation per month', 'yuan', 'down', 'improvement'],
  ['evaluation', 'revenue', 'csat', '客户满意度', 'Customer satisfaction', 'score', 'up', 'improvement * active_customers * monthly_spend * csat_elasticity / 100'],
  ['evaluation', 'revenue', 'nps', '净推荐值 NPS', 'Net promoter score', 'score', 'up', 'improvement * referral_value_per_point'],
  ['improvement', 'efficiency', 'repeat_fault_rate', '重复故障率', 'Repeat fault rate', 'percent', 'down', 'improvement / 100 * monthly_orders * visit_cost'],
  ['improvement', 'efficiency', 'kb_usage_rate', '知识库使用率', 'Knowledge-base usage rate', 'percent', 'up', 'improvement / 100 * monthly_orders * minutes_saved / 60 * engineer_hour_cost'],
  ['improvement', 'cost', 'preventive_share', '预防性维护占比', 'Preventive maintenance share', 'percent', 'up', 'improvement / 100 * monthly_orders * (breakdown_cost - pm_cost)'],
  ['improvement', 'cost', 'warranty_cost', '月保修成本', 'Warranty cost per month', 'yuan', 'down', 'improvement'],
  ['improvement', 'revenue', 'improvements_live', '改进项目落地数', 'Improvements put live', 'count', 'up', 'improvement * value_per_project'],
  ['improvement', 'revenue', 'contract_renewal_rate', '服务合同续约率', 'Service contract renewal rate', 'percent', 'up', 'improvement / 100 * contracts_due * avg_contract_value / 12'],
];

export type LibraryIndicator = {
  key: string;
  solutionType: SolutionType;
  stage: StageKey;
  dimension: DimensionKey;
  name: Bilingual;
  unit: UnitKey;
  direction: Direction;
  formula: string;
  params: ParamDef[];
  sort: number;
};

function paramsOf(formula: string): ParamDef[] {
  const tree = parseFormula(formula);
  if (!tree.ok) throw new Error(`default library: bad formula ${formula}`);
  return [...namesIn(tree.value)]
    .filter((n) => !(builtinVariables as readonly string[]).includes(n))
    .map((name) => {
      const p = P[name];
      if (!p) throw new Error(`default library: no parameter ${name}`);
      return { name, label: { 'zh-CN': p[0], en: p[1] }, unit: p[2], default: p[3] };
    });
}

export const defaultLibrary: LibraryIndicator[] = rows.map(([stage, dimension, key, zh, en, unit, direction, formula], i) => ({
  key,
  solutionType: DEFAULT_SOLUTION,
  stage,
  dimension,
  name: { 'zh-CN': zh, en },
  unit,
  direction,
  formula,
  params: paramsOf(formula),
  sort: i + 1,
}));
