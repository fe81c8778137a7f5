import { describe, expect, it } from 'vitest';
import { extractDue, findAmounts, findDates, meetingDayIn, summariseOffline, type Summary } from './summariser.domain.js';

/**
 * The offline summariser held to minutes as a vendor's team writes them: a complaint review, a quarterly
 * business review, a requirement change and a renewal talk in Chinese, a complaint review and a renewal call
 * in English. Each keeps its amounts (with units), dates, decisions, the owners and due dates of its action
 * items, the customer's concerns and the scope. The meetings are held on Tuesday 1 December 2026 (Shanghai).
 */
const people = ['张伟', '李娜', '王磊', '赵敏', '孙浩', '周婷', 'Alice', 'Bob', 'Carol', 'Erin'].map((name) => ({ id: `u-${name}`, name }));
// 14:00 in Shanghai is 06:00 UTC; a meeting at 01:00 Shanghai time is still 30 November in UTC
const day = meetingDayIn(new Date('2026-12-01T06:00:00Z'), 'Asia/Shanghai');
const actions = (s: Summary) => s.actionItems.map((a) => [a.ownerName, a.dueOn]);
const amounts = (s: Summary) => (s.amounts ?? []).map((a) => a.text);
/** every sentence the summary keeps comes from the minutes */
const extractive = (s: Summary, minutes: string) => {
  for (const part of s.summary.split(/(?<=[。；;])|(?<=\.)\s+/).filter(Boolean)) expect(minutes).toContain(part.trim());
};

const zhComplaint = `华东电网 · 客户投诉复盘会纪要
时间：2026年12月1日 14:00-15:30
地点：线上（腾讯会议）
参会人员：张伟（交付经理）、李娜（客户成功）、王磊（技术支持）、客户方 陈主任
一、背景
11 月 24 日起客户调度中心报表平台多次超时，11 月 26 日晚宕机约 2 小时，客户于 11 月 27 日发正式投诉函。
本次复盘范围：报表平台二期（调度日报、负荷预测两个模块），不包括一期的移动端。
二、客户关注点
客户担心年底迎峰度冬期间再次宕机，影响调度值班。
陈主任表示若 12 月再出现同类故障，将按合同扣减服务费 5%。
客户希望我方提供书面的根因分析和整改计划。
客户对响应速度不满，工单 4 小时才有人回复。
三、原因分析
根因是 11 月版本升级后数据库连接池配置过小，高峰期请求排队。
监控告警阈值设置不当，未能提前发现。
四、会议决议
会议决定：本周五前完成连接池扩容并回滚告警配置。
同意为客户免费增加一个季度的 7×24 驻场支持，折合费用约 ¥18万，由我方承担。
双方确认整改验收以连续 30 天无 P1 故障为准。
五、行动项
1. 王磊负责本周五前完成连接池扩容和压测，输出压测报告。
2. 张伟 12 月 10 日前提交书面根因分析及整改计划给客户。
3. 李娜跟进客户服务费扣减条款的解释口径，下周三前与法务对齐。
4. 技术支持组三天内把工单首次响应时间压到 30 分钟以内，负责人：王磊。
5. 张伟月底前组织一次整改验收会。
六、风险
若扩容后仍不达标，需评估硬件扩容，预计追加投入 120 万元预算，需客户侧审批。
下次会议：12/15 整改进展回顾。`;

const zhQbr = `2026 Q4 季度业务回顾（QBR）会议纪要 —— 苏州智造集团
日期：2026-12-01
参会：我方 赵敏（客户成功经理）、孙浩（销售总监）、周婷（实施顾问）；客户方 IT 部刘总、采购部吴经理
一、本季度回顾
本季度系统可用率 99.95%，工单 312 张，平均解决时长 6.2 小时，较上季度下降 18%。
已上线范围：苏州、无锡两个工厂的设备报修和备件管理模块，共 420 个账号。
合同金额 ¥120万/年，本季度已回款 ¥60万，剩余 60 万元将于 12 月 31 日前支付。
二、客户反馈
刘总关注备件库存数据与 SAP 不一致的问题，担心影响月度盘点。
客户反映移动端扫码在车间弱网环境下经常失败。
吴经理提出明年预算收紧，希望续约价格不上涨。
三、下季度计划
明年一季度范围扩展到常州工厂，新增 150 个账号，报价约 35 万元。
会议确定优先解决 SAP 库存同步问题，移动端离线扫码列入 Q1 版本。
双方同意下次 QBR 定于 2027 年 3 月中旬。
四、行动项
周婷负责在下周三前给出 SAP 库存同步的修复方案。
赵敏本周五前把本季度服务报告发给刘总。
孙浩跟进常州工厂的报价，12 月 20 日前提交正式报价单。
周婷两周内完成车间弱网扫码的现场测试。
五、风险
若库存同步问题 12 月内无法解决，客户可能推迟常州工厂的采购决策。`;

const zhChange = `需求变更评审会纪要
会议主题：恒信物流 工单系统二期 需求变更（CR-017）
时间：2026年12月2日 10:00
参会人员：周婷、赵敏、客户方 项目经理 黄工
记录人：赵敏
一、变更内容
客户要求在二期中新增「司机端签收拍照」功能，并与其 TMS 系统对接。
原二期范围包括：工单派发、SLA 计时、客户门户三个模块，不含移动端。
本次变更将移动端签收纳入二期范围，TMS 对接作为独立子项。
二、影响评估
工作量评估约 45 人天，按合同单价折合费用 22.5 万元。
原定 12 月 18 日的二期上线时间需顺延至 1 月 15 日。
客户担心延期会影响春节前的运力高峰，希望分批上线。
黄工提出 TMS 接口文档尚未定稿，存在返工风险。
三、结论
会议决定：变更费用按 ¥20万 打包结算，客户同意追加采购。
确定分两批上线：工单派发与 SLA 计时 12月18日 按原计划上线，签收拍照月底前上线，TMS 对接 1 月 15 日上线。
四、行动项
1. 周婷负责更新需求规格说明书和排期，明天提交客户确认。
2. 赵敏跟进变更合同的签署，下周五前完成盖章。
3. 黄工 3 天内提供 TMS 接口文档定稿（客户方负责）。
4. 周婷 12 月 10 日前完成签收拍照的原型评审。
五、其他
下次会议：下周一同一时间。`;

const zhRenewal = `续约沟通会纪要（南方航空物流）
时间：2026年12月1日 16:00
参会：孙浩（销售）、赵敏（客户成功）、客户方 采购总监 郑总、IT 负责人 冯经理
1. 合同现状
现合同 2026 年 12 月 31 日到期，年费 CNY 960,000，覆盖广州、深圳两个枢纽共 300 个席位。
2. 客户诉求
郑总表示集团今年降本，希望续约价格下调 15%，否则可能启动招标。
冯经理关注数据迁移风险，担心换供应商会影响旺季运营。
客户对上半年两次 SLA 超时仍有意见，要求在新合同中增加 SLA 赔偿条款。
3. 我方方案
续约范围保持两个枢纽 300 席位，新增成都枢纽 80 席位作为选配。
三年期续约报价 88 万元/年，一年期 92 万元/年；成都枢纽选配 18 万元/年。
SLA 赔偿：月度可用率低于 99.9% 时按月费 5% 抵扣，封顶 10%。
4. 会议结论
双方同意以三年期方案为基础继续谈判。
郑总同意 12 月 15 日前给出是否启动招标的最终答复。
5. 后续行动
孙浩负责 12 月 8 日前发送正式续约报价单和合同草案。
赵敏本周四前整理上半年 SLA 超时的复盘报告，发给冯经理。
孙浩下周二前与法务确认 SLA 赔偿条款的措辞。
赵敏月底前安排成都枢纽的需求调研。
6. 风险
若 12 月 15 日前未能达成一致，合同到期后将出现服务空窗期。
客户可能引入竞品报价压价，预计最低可接受价格 85 万元。`;

const enComplaint = `Complaint review – Northwind Retail
Date: 1 December 2026
Attendees: Alice Chen (CSM), Bob Li (Support Lead), Carol Wang (Engineering), customer: Dan Miller (Head of Ops)

Background
Since 20 November the store replenishment dashboard has timed out during the morning peak.
The customer filed a formal complaint on 27 November after two missed stock orders.
Scope of this review: the replenishment dashboard and the nightly sync job; the POS integration is out of scope.

Customer concerns
Dan is worried the issue will recur during the Christmas peak.
The customer raised that support took six hours to acknowledge the P1 ticket.
They estimate lost sales of about $45k and asked for a service credit.

Decisions
We agreed to move the nightly sync to a dedicated worker this week.
Approved a one-off service credit of USD 12,000 against the next invoice.

Action items
Carol will ship the dedicated sync worker by Friday.
Bob to send the root-cause report to Dan by 10 December.
Owner: Alice - schedule a follow-up review, due end of month.
Bob will cut P1 first-response time to under 30 minutes within 5 business days.

Risks
If the fix slips past 15 December, the customer may escalate to their CFO before renewal.`;

const enRenewal = `Renewal call – Contoso Manufacturing
Date: 2 December 2026
Present: Erin Park (Account Executive), Alice Chen (CSM); Contoso: Frank Zhou (Procurement), Grace Liu (IT Director)

Where we stand
The current contract ends on 31 December 2026 at CNY 800k per year for 250 seats.
Usage is healthy: 92% of seats active, 1,400 tickets handled this quarter.

What the customer raised
Frank said budget for next year is flat and pushed back on the 8% uplift.
Grace is concerned about the data residency requirement from their new EU parent.
The customer mentioned that a competitor quoted $95k for a comparable scope.

Proposal and scope
Renewal scope: the existing 250 seats plus the asset module for the Ningbo plant (40 extra seats).
We offered a two-year term at CNY 780k per year, with the asset module at 60,000 CNY per year.
EU data residency is out of scope for this renewal and would be a separate change request.

Decisions
We agreed to hold the price flat for a two-year term.
Frank approved moving the decision to the steering committee on 12/18.

Next steps
Erin will send the revised quote and order form by Friday.
Alice to share the usage report with Grace by 8 December.
Owner: Erin - draft the data residency options paper, due end of month.
Grace will confirm the Ningbo go-live date next week.

Risk: if the order form is not signed by 31 December, the service lapses and pricing resets.`;

describe('offline summariser on real-style minutes', () => {
  it('zh complaint review: amounts with units, concerns, scope, every action with its owner and due date', () => {
    const s = summariseOffline(zhComplaint, day, people);
    expect(s.language).toBe('zh');
    extractive(s, zhComplaint);
    expect(amounts(s)).toEqual(['¥18万', '120 万元']);
    expect(s.amounts?.[1].context).toContain('120 万元预算');
    expect(s.decisions).toEqual([
      '会议决定：本周五前完成连接池扩容并回滚告警配置',
      '同意为客户免费增加一个季度的 7×24 驻场支持，折合费用约 ¥18万，由我方承担',
      '双方确认整改验收以连续 30 天无 P1 故障为准',
    ]);
    expect(actions(s)).toEqual([
      ['王磊', '2026-12-04'], // 本周五前
      ['张伟', '2026-12-10'], // 12 月 10 日前
      ['李娜', '2026-12-09'], // 下周三前
      ['王磊', '2026-12-04'], // 三天内, 负责人：王磊
      ['张伟', '2026-12-31'], // 月底前
    ]);
    expect(s.actionItems.every((a) => a.ownerId === `u-${a.ownerName}`)).toBe(true);
    expect(s.concerns).toEqual(
      expect.arrayContaining([
        '客户担心年底迎峰度冬期间再次宕机，影响调度值班',
        '陈主任表示若 12 月再出现同类故障，将按合同扣减服务费 5%',
        '客户对响应速度不满，工单 4 小时才有人回复',
        '若扩容后仍不达标，需评估硬件扩容，预计追加投入 120 万元预算，需客户侧审批',
      ]),
    );
    // the title and the header lines are no concern; the next meeting is no action
    expect(s.concerns?.some((c) => c.includes('纪要') || c.includes('下次会议'))).toBe(false);
    expect(s.scope).toEqual(['本次复盘范围：报表平台二期（调度日报、负荷预测两个模块），不包括一期的移动端']);
    expect(s.dates).toEqual(
      expect.arrayContaining([
        { text: '12/15', on: '2026-12-15' },
        { text: '11 月 27 日', on: '2026-11-27' },
      ]),
    );
    // the meeting's own date (时间：…) is no date the minutes name
    expect(s.dates?.some((d) => d.on === '2026-12-01')).toBe(false);
  });

  it('zh quarterly business review: contract value and payments, customer feedback, the scope now and next quarter', () => {
    const s = summariseOffline(zhQbr, day, people);
    extractive(s, zhQbr);
    expect(amounts(s)).toEqual(['¥120万/年', '¥60万', '60 万元', '35 万元']);
    expect(s.summary).toContain('¥120万/年');
    expect(s.decisions).toEqual(['会议确定优先解决 SAP 库存同步问题，移动端离线扫码列入 Q1 版本', '双方同意下次 QBR 定于 2027 年 3 月中旬']);
    expect(actions(s)).toEqual([
      ['周婷', '2026-12-09'],
      ['赵敏', '2026-12-04'],
      ['孙浩', '2026-12-20'],
      ['周婷', '2026-12-15'], // 两周内
    ]);
    expect(s.concerns).toEqual([
      '刘总关注备件库存数据与 SAP 不一致的问题，担心影响月度盘点',
      '客户反映移动端扫码在车间弱网环境下经常失败',
      '吴经理提出明年预算收紧，希望续约价格不上涨',
      '若库存同步问题 12 月内无法解决，客户可能推迟常州工厂的采购决策',
    ]);
    expect(s.scope).toEqual([
      '已上线范围：苏州、无锡两个工厂的设备报修和备件管理模块，共 420 个账号',
      '明年一季度范围扩展到常州工厂，新增 150 个账号，报价约 35 万元',
    ]);
    expect(s.dates).toEqual(
      expect.arrayContaining([
        { text: '2027 年 3 月中旬', on: '2027-03-20' },
        { text: '12 月内', on: '2026-12-31' },
      ]),
    );
  });

  it('zh requirement change: the change in scope, its cost, the new dates, the customer-side owner', () => {
    const s = summariseOffline(zhChange, day, people);
    extractive(s, zhChange);
    expect(amounts(s)).toEqual(['22.5 万元', '¥20万']);
    expect(s.decisions[0]).toBe('会议决定：变更费用按 ¥20万 打包结算，客户同意追加采购');
    expect(actions(s)).toEqual([
      ['周婷', '2026-12-02'], // 明天
      ['赵敏', '2026-12-11'], // 下周五前
      ['黄工', '2026-12-04'], // 3 天内; 黄工 is the customer's, no user
      ['周婷', '2026-12-10'],
    ]);
    expect(s.actionItems[2].ownerId).toBeNull();
    expect(s.scope).toEqual(
      expect.arrayContaining([
        '原二期范围包括：工单派发、SLA 计时、客户门户三个模块，不含移动端',
        '本次变更将移动端签收纳入二期范围，TMS 对接作为独立子项',
      ]),
    );
    expect(s.concerns).toEqual(
      expect.arrayContaining(['客户担心延期会影响春节前的运力高峰，希望分批上线', '黄工提出 TMS 接口文档尚未定稿，存在返工风险']),
    );
    expect(s.dates).toEqual(
      expect.arrayContaining([
        { text: '1 月 15 日', on: '2027-01-15' },
        { text: '下周一', on: '2026-12-07' },
      ]),
    );
  });

  it('zh renewal talk: the price on the table, the customer demands, what the renewal covers', () => {
    const s = summariseOffline(zhRenewal, day, people);
    extractive(s, zhRenewal);
    expect(amounts(s)).toEqual(['CNY 960,000', '88 万元/年', '92 万元/年', '18 万元/年', '85 万元']);
    expect(s.decisions).toEqual(['双方同意以三年期方案为基础继续谈判', '郑总同意 12 月 15 日前给出是否启动招标的最终答复']);
    expect(actions(s)).toEqual([
      ['孙浩', '2026-12-08'],
      ['赵敏', '2026-12-03'], // 本周四前
      ['孙浩', '2026-12-08'], // 下周二前
      ['赵敏', '2026-12-31'],
    ]);
    expect(s.concerns).toEqual(
      expect.arrayContaining([
        '郑总表示集团今年降本，希望续约价格下调 15%，否则可能启动招标',
        '冯经理关注数据迁移风险，担心换供应商会影响旺季运营',
        '若 12 月 15 日前未能达成一致，合同到期后将出现服务空窗期',
      ]),
    );
    expect(s.scope).toContain('续约范围保持两个枢纽 300 席位，新增成都枢纽 80 席位作为选配');
  });

  it('en complaint review: the credit and the claimed loss, the customer concerns, the scope, owners and dates', () => {
    const s = summariseOffline(enComplaint, day, people);
    expect(s.language).toBe('en');
    extractive(s, enComplaint);
    expect(amounts(s)).toEqual(['$45k', 'USD 12,000']);
    expect(s.decisions).toEqual([
      'We agreed to move the nightly sync to a dedicated worker this week',
      'Approved a one-off service credit of USD 12,000 against the next invoice',
    ]);
    expect(actions(s)).toEqual([
      ['Carol', '2026-12-04'], // by Friday
      ['Bob', '2026-12-10'], // by 10 December
      ['Alice', '2026-12-31'], // due end of month
      ['Bob', '2026-12-08'], // within 5 business days
    ]);
    expect(s.concerns).toEqual(
      expect.arrayContaining([
        'Dan is worried the issue will recur during the Christmas peak',
        'The customer raised that support took six hours to acknowledge the P1 ticket',
        'If the fix slips past 15 December, the customer may escalate to their CFO before renewal',
      ]),
    );
    expect(s.scope).toEqual(['Scope of this review: the replenishment dashboard and the nightly sync job', 'the POS integration is out of scope']);
  });

  it('en renewal call: prices per year, the pushback, the renewal scope and what is out of it', () => {
    const s = summariseOffline(enRenewal, day, people);
    extractive(s, enRenewal);
    expect(amounts(s)).toEqual(['CNY 800k per year', '$95k', 'CNY 780k per year', '60,000 CNY per year']);
    expect(s.decisions).toEqual([
      'We agreed to hold the price flat for a two-year term',
      'Frank approved moving the decision to the steering committee on 12/18',
    ]);
    expect(actions(s)).toEqual([
      ['Erin', '2026-12-04'],
      ['Alice', '2026-12-08'],
      ['Erin', '2026-12-31'],
      ['Grace', '2026-12-08'], // next week
    ]);
    expect(s.concerns).toEqual(
      expect.arrayContaining([
        'Frank said budget for next year is flat and pushed back on the 8% uplift',
        'Grace is concerned about the data residency requirement from their new EU parent',
        'Risk: if the order form is not signed by 31 December, the service lapses and pricing resets',
      ]),
    );
    expect(s.scope).toEqual(
      expect.arrayContaining([
        'Renewal scope: the existing 250 seats plus the asset module for the Ningbo plant (40 extra seats)',
        'EU data residency is out of scope for this renewal and would be a separate change request',
      ]),
    );
    expect(s.dates).toEqual(
      expect.arrayContaining([
        { text: '12/18', on: '2026-12-18' },
        { text: '31 December 2026', on: '2026-12-31' },
      ]),
    );
  });
});

describe('what is no action item', () => {
  it('a line naming a past day is a record of what happened, not an action due then', () => {
    const s = summariseOffline('客户确认 11 月 27 日的宕机造成两张订单遗漏。\n王磊负责 12 月 10 日前提交整改报告。', day, people);
    expect(actions(s)).toEqual([['王磊', '2026-12-10']]);
  });
});

describe('dates relative to the meeting day in the workspace zone', () => {
  const tue = day; // Tuesday 2026-12-01
  it.each([
    ['12 月 10 日前提交', '2026-12-10'],
    ['12月10日', '2026-12-10'],
    ['下周三前给出方案', '2026-12-09'],
    ['本周五', '2026-12-04'],
    ['周一前回复', '2026-12-07'], // this week's Monday has passed
    ['月底前上线', '2026-12-31'],
    ['下月底前', '2027-01-31'],
    ['三天内', '2026-12-04'],
    ['5 个工作日内', '2026-12-08'],
    ['两周内', '2026-12-15'],
    ['2026-12-10', '2026-12-10'],
    ['2026年12月10日', '2026-12-10'],
    ['12/10', '2026-12-10'],
    ['1 月 5 日前', '2027-01-05'],
    ['1 月中旬', '2027-01-20'],
    ['by Friday', '2026-12-04'],
    ['by 10 December', '2026-12-10'],
    ['before Dec 10th', '2026-12-10'],
    ['end of month', '2026-12-31'],
    ['end of next month', '2027-01-31'],
    ['next Monday', '2026-12-07'],
  ])('%s → %s', (text, on) => expect(extractDue(text, tue)).toBe(on));

  it('the due date is the one marked 前 / by, not a date merely mentioned', () => {
    expect(extractDue('针对 11 月 27 日的投诉，12 月 10 日前提交整改计划', tue)).toBe('2026-12-10');
    expect(extractDue('re the 27 November outage, send the report by 10 December', tue)).toBe('2026-12-10');
    expect(extractDue('no date here', tue)).toBeNull();
    expect(findDates('可用率 99.9%，编号 2026/13/40 不是日期', tue)).toEqual([]);
  });

  it('the meeting day is taken in the workspace zone: 01:00 on Monday in Shanghai is still Sunday in UTC', () => {
    const start = new Date('2026-11-29T17:00:00Z'); // Mon 30 Nov 01:00 in Shanghai
    expect(meetingDayIn(start, 'Asia/Shanghai').toISOString().slice(0, 10)).toBe('2026-11-30');
    expect(meetingDayIn(start, 'UTC').toISOString().slice(0, 10)).toBe('2026-11-29');
    // 本周五 is that week's Friday in Shanghai, the week before's in UTC
    expect(extractDue('本周五', meetingDayIn(start, 'Asia/Shanghai'))).toBe('2026-12-04');
    expect(extractDue('本周五', meetingDayIn(start, 'UTC'))).toBe('2026-11-27');
  });
});

describe('amounts keep their units', () => {
  it.each([
    ['预算 ¥120万', ['¥120万']],
    ['追加投入 120 万元预算', ['120 万元']],
    ['合同额 120万', ['120万']],
    ['年费 CNY 960,000', ['CNY 960,000']],
    ['a $50k credit', ['$50k']],
    ['budget of 80k CNY', ['80k CNY']],
    ['单价 1,200 元/人天', ['1,200 元/人天']],
  ])('%s', (text, want) => expect(findAmounts(text)).toEqual(want));
  it('counts without money are no amounts', () => {
    expect(findAmounts('日均调用 120 万次，新增 3 万个用户')).toEqual([]);
    expect(findAmounts('we handled 120k tickets')).toEqual([]);
  });
});
