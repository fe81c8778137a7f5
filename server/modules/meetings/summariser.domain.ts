/**
 * The built-in offline summariser (seed 000: AI summaries; used when no OpenAI-compatible endpoint is
 * configured and whenever the call fails). Extractive, for Chinese and English minutes as a vendor's
 * team writes them (complaint reviews, business reviews, requirement changes, renewal talks):
 * - sentences are scored by the frequency of their words (Intl.Segmenter splits Chinese into words);
 *   sentences naming an amount, the scope or a concern weigh more; header lines (时间：/Attendees:) never count;
 * - decisions come from cues such as 决定 / 确定 / 同意 / decided / agreed, or a 决议 / Decisions section;
 * - action items from cues such as 负责 / 跟进 / 截止 / 下周 / owner / due / will / action, or a 行动项 / Action items
 *   section; the owner is an attendee named in the sentence (or "由X负责", "负责人：X", "owner: X"), the due date a
 *   date resolved against the meeting's day in the workspace's zone (see `extractDue`);
 * - amounts ("¥120万", "120 万元预算", "CNY 80k", "$12,000") keep their units; dates are listed with their ISO day;
 * - the customer's concerns (客户担心 / 投诉 / 风险 / concern / risk …, or a 客户关注 / Concerns section) and the
 *   scope (范围 / 包括 / 一期 / 模块 / scope / phase …, or a 范围 / Scope section) are kept as sentences.
 * Pure: the meeting's day and attendee names are passed in (`meetingDayIn` turns the start instant and the
 * workspace's zone into that day).
 */
import { DateTime } from 'luxon';

export type Person = { id: string; name: string };
export type ExtractedAction = { title: string; ownerId: string | null; ownerName: string | null; dueOn: string | null };
export type Amount = { text: string; context: string };
export type NamedDate = { text: string; on: string };
export type Summary = {
  language: 'zh' | 'en';
  summary: string;
  decisions: string[];
  actionItems: ExtractedAction[];
  source: 'offline' | 'llm';
  /** amounts named in the minutes, with their units, and the sentence each comes from */
  amounts?: Amount[];
  /** dates named in the minutes (as written) and the day each resolves to */
  dates?: NamedDate[];
  /** the customer's concerns and the risks raised */
  concerns?: string[];
  /** what is (and is not) in scope */
  scope?: string[];
};

const DECISION_ZH = /(决定|决议|确定|同意|一致认为|拍板|达成一致|确认采用)/;
const DECISION_EN = /\b(decided|decision|agreed|we will go with|approved|resolved)\b/i;
const ACTION_ZH = /(负责|跟进|截止|下周|之前完成|前完成|待办|落实|提交|安排|完成|牵头|输出|确认)/;
const ACTION_EN = /\b(owner|due|action( item)?|will|to do|todo|follow[- ]up|by (mon|tues|wednes|thurs|fri|satur|sun)day|next week)\b/i;
const CONCERN_ZH =
  /(担心|担忧|顾虑|疑虑|关注点|风险|隐患|投诉|抱怨|不满|质疑|痛点|诉求|客户(方)?(提出|反映|反馈|表示|指出|要求|希望|认为|关注|强调)|偏慢|缓慢|卡顿|故障|宕机|延误|超时|不稳定|流失)/;
const CONCERN_EN =
  /\b(concerns?|concerned|worr(y|ied|ies)|risks?|complain(t|ts|ed)?|unhappy|frustrat\w*|escalat\w*|churn|pain points?|(customer|client) (raised|asked|reported|mentioned|wants|expects|pushed back))\b/i;
const SCOPE_ZH =
  /(范围|包括|包含|涵盖|覆盖|不含|不包括|纳入|[一二三四]期|模块|\d+\s*个?(席位|账号|站点|门店|用户|工厂|枢纽)|新增需求|需求变更|变更内容|交付物)/;
const SCOPE_EN =
  /\b(scope|in-scope|out-of-scope|includes?|including|excludes?|phase \d|modules?|\d+ (extra |additional |more )?(seats|licen[cs]es|sites|users|plants|stores)|deliverables?|change request)\b/i;
const MONEY_CONTEXT =
  /(预算|费用|金额|报价|合同|价格|单价|总价|款|续费|续约|采购|成本|收入|回款|赔偿|补偿|折扣|ARR|投入|budget|price|pricing|cost|fees?|contract|renewal|ARR|discount|invoice|credit|refund|spend|deal|quote|value|worth|penalt)/i;

/** Section headings: a short line naming what follows ("三、客户关注点", "Action items:", "## 决议"). */
type Section = 'decision' | 'action' | 'concern' | 'scope' | 'other';
const SECTION_OF: [RegExp, Section][] = [
  [/(行动项|待办|后续工作|后续行动|后续安排|跟进事项|下一步|分工|action items?|next steps|follow[- ]ups?|to-?dos?)/i, 'action'],
  [/(决议|决定|结论|共识|decisions?|agreed|outcomes?|conclusions?)/i, 'decision'],
  [/(关注|顾虑|担心|风险|问题|诉求|投诉|反馈|concerns?|risks?|issues|feedback|complaints?|customer raised|pain points?)/i, 'concern'],
  [/(范围|变更内容|需求变更|scope|change request)/i, 'scope'],
];
/** Header lines of minutes (when, where, who) that are no content. */
const META_LINE =
  /^\s*(会议)?(时间|日期|地点|参会(?:人员|人|方)?|参加人员?|与会(?:人员)?|出席(?:人员)?|记录人|纪要人|主持人?|会议主题|主题|抄送|date|time|location|venue|attendees|present|participants|minutes by|note ?taker|chair|subject|cc)\s*[:：]/i;

const STOP_EN = new Set(
  'the a an and or of to in on for with is are was were be been this that it we our they their at by as from will shall'.split(' '),
);
const STOP_ZH = new Set(['的', '了', '和', '是', '在', '与', '及', '对', '并', '将', '也', '我们', '他们', '一个', '进行', '会议', '需要']);

export function detectLanguage(text: string): 'zh' | 'en' {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const latinWords = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han >= latinWords ? 'zh' : 'en';
}

const LIST_MARKER = /^\s*(?:[-*•·]|#{1,4}|\d+[.)、]|[（(]?\d+[）)]|[一二三四五六七八九十]+[、.]|[（(][一二三四五六七八九十]+[）)])\s*/;

/** Sentences: lines, then sentence ends (。！？；.!?;), with list markers stripped. */
export function splitSentences(text: string): string[] {
  return splitLines(text).flatMap((l) => l.sentences);
}

type Line = { heading: Section | null; meta: boolean; next: boolean; sentences: string[] };
/** The next meeting's line: its date is kept, it is no action nor concern, and it ends the section it is in. */
const NEXT_MEETING = /^\s*(下次会议|下次沟通|下一次会议|next (meeting|review|call|sync)\b)/i;
function splitLines(text: string): Line[] {
  const out: Line[] = [];
  let first = true;
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.replace(LIST_MARKER, '').trim();
    if (!line) continue;
    const wasFirst = first;
    first = false;
    const plain = /^([^。！？；!?;.:：]{1,40})[:：]?$/.exec(line);
    if (plain) {
      const sec = SECTION_OF.find(([re]) => re.test(plain[1]))?.[1];
      const colon = /[:：]$/.test(line);
      const marked = LIST_MARKER.test(raw) && line.length <= 12 && !/\d/.test(line);
      // the minutes' title ("XX 客户投诉复盘会纪要", "Renewal call – Contoso") is no content
      if (wasFirst && !colon && /(纪要|会议|复盘|回顾|沟通会|评审|minutes|meeting|review|call|QBR)/i.test(line)) continue;
      if (colon || marked || (sec && line.length <= 24)) {
        out.push({ heading: sec ?? 'other', meta: false, next: false, sentences: [] });
        continue;
      }
    }
    const sentences: string[] = [];
    for (const p of line.split(/(?<=[。！？；!?;])|(?<=\.)\s+/)) {
      const s = p.replace(LIST_MARKER, '').trim();
      if (s.replace(/[\p{P}\s]/gu, '').length >= 2) sentences.push(s);
    }
    out.push({ heading: null, meta: META_LINE.test(line), next: NEXT_MEETING.test(line), sentences });
  }
  return out;
}

function words(text: string, lang: 'zh' | 'en'): string[] {
  const seg = new Intl.Segmenter(lang === 'zh' ? 'zh' : 'en', { granularity: 'word' });
  const out: string[] = [];
  for (const w of seg.segment(text)) {
    if (!w.isWordLike) continue;
    const t = w.segment.toLowerCase();
    if (lang === 'en' ? STOP_EN.has(t) || t.length < 3 : STOP_ZH.has(t)) continue;
    out.push(t);
  }
  return out;
}

// ---------- dates ----------

/** The meeting's calendar day in the workspace's zone, as a UTC midnight (what `extractDue` takes). */
export function meetingDayIn(startsAt: Date, zone: string): Date {
  const d = DateTime.fromJSDate(startsAt, { zone });
  const local = d.isValid ? d : DateTime.fromJSDate(startsAt, { zone: 'utc' });
  return new Date(Date.UTC(local.year, local.month - 1, local.day));
}

const ZH_WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const EN_WEEKDAY: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
const EN_MONTH: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  sept: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};
const EN_MONTHS =
  'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const ZH_DIGIT: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
/** 3, 三, 十, 十五, 二十 → a number */
function zhNumber(s: string): number | null {
  if (/^\d+$/.test(s)) return +s;
  if (s in ZH_DIGIT) return ZH_DIGIT[s];
  const m = /^([一二两三四五六七八九])?十([一二三四五六七八九])?$/.exec(s);
  return m ? (m[1] ? ZH_DIGIT[m[1]] : 1) * 10 + (m[2] ? ZH_DIGIT[m[2]] : 0) : null;
}

/** One date form: where it is in the text, and the day it names relative to the meeting's day. */
type DateRule = { re: RegExp; on: (m: RegExpExecArray, day: DateTime) => DateTime | null };
const weekdayIn = (day: DateTime, weekOffset: number, dow: number) => day.plus({ weeks: weekOffset }).set({ weekday: dow as 1 });
/** M/D without a year: this year, or next year when that day is well past (minutes in December name January) */
const monthDay = (day: DateTime, month: number, d: number) => {
  if (month < 1 || month > 12 || d < 1 || d > 31) return null;
  let t = DateTime.utc(day.year, month, d);
  if (!t.isValid) return null;
  if (t < day.minus({ days: 31 })) t = t.plus({ years: 1 });
  return t;
};
const NUM_ZH = '\\d+|[一二两三四五六七八九十]+';
const DATE_RULES: DateRule[] = [
  { re: /(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*[日号]?/, on: (m) => DateTime.utc(+m[1], +m[2], +m[3]) },
  { re: /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(上旬|中旬|下旬|初|中|底|末|内)/, on: (m, day) => monthPart(day, m[1], +m[2], m[3]) },
  { re: /(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]/, on: (m, day) => monthDay(day, +m[1], +m[2]) },
  { re: /(?<![\d/.:-])(\d{1,2})\/(\d{1,2})(?![\d/%])/, on: (m, day) => monthDay(day, +m[1], +m[2]) },
  {
    re: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(${EN_MONTHS})\\b\\.?(?:,?\\s*(\\d{4}))?`, 'i'),
    on: (m, day) => enDate(day, m[2], +m[1], m[3]),
  },
  {
    re: new RegExp(`\\b(${EN_MONTHS})\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s*(\\d{4}))?`, 'i'),
    on: (m, day) => enDate(day, m[1], +m[2], m[3]),
  },
  { re: /下(?:个)?(?:周|星期|礼拜)([一二三四五六日天])/, on: (m, day) => weekdayIn(day, 1, ZH_WEEKDAY[m[1]]) },
  { re: /(?:本|这|这个)(?:周|星期|礼拜)([一二三四五六日天])/, on: (m, day) => weekdayIn(day, 0, ZH_WEEKDAY[m[1]]) },
  // a bare 周五: this week's, or next week's when this week's has passed
  {
    re: /(?<![上下本这个])(?:周|星期|礼拜)([一二三四五六日天])/,
    on: (m, day) => {
      const t = weekdayIn(day, 0, ZH_WEEKDAY[m[1]]);
      return t < day ? t.plus({ weeks: 1 }) : t;
    },
  },
  { re: /下(?:个)?(?:周|星期|礼拜)(?:内|前|末)?/, on: (_m, day) => day.plus({ days: 7 }) },
  { re: /(?:本|这个?)(?:周|星期)(?:内|末)/, on: (_m, day) => weekdayIn(day, 0, 5) },
  { re: /下(?:个)?月(?:底|末)/, on: (_m, day) => day.plus({ months: 1 }).endOf('month').startOf('day') },
  { re: /(?:本|这个?)?月(?:底|末)/, on: (_m, day) => day.endOf('month').startOf('day') },
  { re: /(?:本|今)?年(?:底|末)/, on: (_m, day) => day.endOf('year').startOf('day') },
  { re: new RegExp(`(${NUM_ZH})\\s*个?(天|日|个工作日|工作日|周|星期)内`), on: (m, day) => withinZh(day, m[1], m[2]) },
  { re: /明天|明日/, on: (_m, day) => day.plus({ days: 1 }) },
  { re: /后天/, on: (_m, day) => day.plus({ days: 2 }) },
  { re: /\bnext (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i, on: (m, day) => weekdayIn(day, 1, EN_WEEKDAY[m[1].toLowerCase()]) },
  {
    re: /\b(?:by|on|before|due|this)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i,
    on: (m, day) => day.plus({ days: (EN_WEEKDAY[m[1].toLowerCase()] - day.weekday + 7) % 7 || 7 }),
  },
  { re: /\b(?:end of (?:the )?next month)\b/i, on: (_m, day) => day.plus({ months: 1 }).endOf('month').startOf('day') },
  { re: /\b(?:end of (?:the |this )?month|month[- ]end|EOM)\b/i, on: (_m, day) => day.endOf('month').startOf('day') },
  { re: /\b(?:end of (?:the |this )?year|year[- ]end|EOY)\b/i, on: (_m, day) => day.endOf('year').startOf('day') },
  { re: /\b(?:end of (?:the |this )?week|EOW)\b/i, on: (_m, day) => weekdayIn(day, 0, 5) },
  { re: /\bnext week\b/i, on: (_m, day) => day.plus({ days: 7 }) },
  {
    re: /\bwithin (\d+) (business |working )?(days?|weeks?)\b/i,
    on: (m, day) => (/week/i.test(m[3]) ? day.plus({ weeks: +m[1] }) : addWorking(day, +m[1], !!m[2])),
  },
  { re: /\btomorrow\b/i, on: (_m, day) => day.plus({ days: 1 }) },
];
/** 12 月底 / 3 月中旬 / 1 月初: a day in that month (its end for 底/末/内/下旬) */
function monthPart(day: DateTime, year: string | undefined, month: number, part: string): DateTime | null {
  const start = year ? DateTime.utc(+year, month, 1) : monthDay(day, month, 1);
  if (!start?.isValid) return null;
  if (part === '初' || part === '上旬') return start.set({ day: 10 });
  if (part === '中' || part === '中旬') return start.set({ day: 20 });
  return start.endOf('month').startOf('day');
}
function enDate(day: DateTime, month: string, d: number, year?: string): DateTime | null {
  const mo = EN_MONTH[month.toLowerCase().slice(0, month.toLowerCase().startsWith('sept') ? 4 : 3)];
  if (!mo) return null;
  if (year) {
    const t = DateTime.utc(+year, mo, d);
    return t.isValid ? t : null;
  }
  return monthDay(day, mo, d);
}
function addWorking(day: DateTime, n: number, working: boolean): DateTime {
  if (!working) return day.plus({ days: n });
  let t = day;
  for (let left = n; left > 0; ) {
    t = t.plus({ days: 1 });
    if (t.weekday <= 5) left--;
  }
  return t;
}
function withinZh(day: DateTime, count: string, unit: string): DateTime | null {
  const n = zhNumber(count);
  if (n == null) return null;
  if (unit === '周' || unit === '星期') return day.plus({ weeks: n });
  return addWorking(day, n, unit.includes('工作日'));
}

/** Every date named in a text: its words, where it is, the ISO day — earliest position first, no overlaps. */
export function findDates(text: string, meetingDay: Date): (NamedDate & { index: number })[] {
  const day = DateTime.fromJSDate(meetingDay, { zone: 'utc' }).startOf('day');
  const found: (NamedDate & { index: number; end: number })[] = [];
  for (const rule of DATE_RULES) {
    const re = new RegExp(rule.re.source, rule.re.flags.includes('g') ? rule.re.flags : `${rule.re.flags}g`);
    for (let m = re.exec(text); m; m = re.exec(text)) {
      const end = m.index + m[0].length;
      if (found.some((f) => m!.index < f.end && end > f.index)) continue;
      const t = rule.on(m, day);
      if (t?.isValid) found.push({ text: m[0].trim().replace(/\.$/, ''), on: t.toISODate()!, index: m.index, end });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ end: _e, ...f }) => f);
}

/** A due date named in a sentence, relative to the meeting's day (a UTC calendar date; see `meetingDayIn`). */
export function extractDue(sentence: string, meetingDay: Date): string | null {
  const all = findDates(sentence, meetingDay);
  // "由…在 12 月 10 日前" — a date followed by 前/之前/截止 or after by/due wins over one merely mentioned
  const marked = all.find(
    (d) =>
      /^\s*(之?前|以前|截止|内|为止|完成)/.test(sentence.slice(d.index + d.text.length)) ||
      /(截止|截至|by|due|before|until|不晚于|最晚)\s*(on\s*)?$/i.test(sentence.slice(0, d.index)) ||
      /(前|内|底|末)$/.test(d.text),
  );
  return (marked ?? all[0])?.on ?? null;
}

// ---------- amounts ----------

const NUM = '\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?';
/** "/年", "/人天", " per year": the period or unit an amount is priced in, kept with it */
const PER = String.raw`(?:\s?/\s?(?:年|月|季度?|人天|人月|席位|账号|个|year|yr|month|mo|seat|user)|\s(?:per|a|each) (?:year|month|seat|user|licen[cs]e))?`;
const AMOUNT_RES: RegExp[] = [
  // ¥120万, ￥1,200,000, RMB 80万元, CNY 1.2m, USD 30,000, $50k, €12k
  new RegExp(
    `(?:[¥￥$€]|(?:RMB|CNY|USD|EUR|HKD)\\s?)\\s?(?:${NUM})\\s?(?:亿元|万元|千元|百万|亿|万|千|元|[kKmM](?![a-z])|million|thousand|bn)?${PER}`,
    'g',
  ),
  // 120 万元, 3.5亿元, 8000元, 120万 (money words nearby), 50 万人民币
  new RegExp(`(?:${NUM})\\s?(?:亿元|万元|千元|元|块钱|美元|人民币|亿|万)(?:人民币)?(?![次条人户台个件张份位家套年天小时分秒条行])${PER}`, 'g'),
  // 80k CNY, 1.2m USD, 30,000 RMB, 12 million
  new RegExp(
    `\\b(?:${NUM})\\s?(?:[kKmM]\\b\\s?)?(?:CNY|RMB|USD|EUR|HKD|yuan|dollars)\\b${PER}|\\b(?:${NUM})\\s?(?:million|thousand|[kKmM])\\b${PER}`,
    'g',
  ),
];

/** Amounts named in a sentence, as written (with their units). Bare "120万" or "80k" counts only next to money words. */
export function findAmounts(sentence: string): string[] {
  const spans: { i: number; end: number; text: string; strong: boolean }[] = [];
  AMOUNT_RES.forEach((re, k) => {
    for (const m of sentence.matchAll(new RegExp(re.source, re.flags))) {
      const text = m[0].trim();
      const i = m.index!;
      const end = i + m[0].length;
      if (spans.some((s) => i < s.end && end > s.i)) continue;
      const strong = k === 0 || /元|美元|人民币|CNY|RMB|USD|EUR|HKD|yuan|dollars/i.test(text);
      spans.push({ i, end, text, strong });
    }
  });
  const money = MONEY_CONTEXT.test(sentence);
  return spans
    .filter((s) => s.strong || money)
    .filter((s) => !/^\d+(\.\d+)?$/.test(s.text.replace(/[¥￥$€\s]/g, '')) || /[¥￥$€]/.test(s.text) || s.strong)
    .sort((a, b) => a.i - b.i)
    .map((s) => s.text);
}

// ---------- owners ----------

/** The owner of an action: an attendee named in the sentence, else a name next to a cue. */
export function extractOwner(sentence: string, people: Person[]): { id: string | null; name: string | null } {
  const lower = sentence.toLowerCase();
  const named = people
    .filter((p) => p.name && lower.includes(p.name.toLowerCase()))
    .sort((a, b) => lower.indexOf(a.name.toLowerCase()) - lower.indexOf(b.name.toLowerCase()));
  // "负责人：X" names the owner even when another attendee is mentioned first
  const tagged =
    /(?:负责人|责任人|owner)\s*[:：]\s*([\p{Script=Han}]{2,4}|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)/iu.exec(sentence) ??
    /由\s*([\p{Script=Han}A-Za-z]{2,4}?)\s*(?:负责|牵头|跟进|落实)/u.exec(sentence);
  if (tagged) {
    const p = people.find((x) => x.name && x.name.toLowerCase() === tagged[1].toLowerCase());
    if (p) return { id: p.id, name: p.name };
  }
  if (named.length) return { id: named[0].id, name: named[0].name };
  if (tagged) return { id: null, name: tagged[1] };
  // "黄工负责…", "黄工 3 天内提供…": a short name opening the line
  let m = /^([\p{Script=Han}]{2,3})(?:负责|跟进|牵头|\s+(?=\d|[一二三四五六七八九十两本下明月]))/u.exec(sentence);
  if (m) return { id: null, name: m[1] };
  m = /\b[Oo]wner:?\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)/.exec(sentence) ?? /^([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)\s+(?:will|to)\b/.exec(sentence);
  if (m) return { id: null, name: m[1] };
  return { id: null, name: null };
}

function cleanTitle(s: string): string {
  return s
    .replace(/^(行动项|待办|action( item)?|todo)\s*[:：]\s*/i, '')
    .replace(/[。；;.]+$/u, '')
    .trim()
    .slice(0, 200);
}

/**
 * Summarises minutes: a few key sentences, the decisions, the action items, and the amounts, dates,
 * concerns and scope they name. `meetingDay` anchors relative dates ("下周三", "next Friday"): pass
 * `meetingDayIn(startsAt, workspaceZone)`.
 */
export function summariseOffline(minutes: string, meetingDay: Date, people: Person[] = [], maxSentences = 3): Summary {
  const language = detectLanguage(minutes);
  const decisionRe = language === 'zh' ? DECISION_ZH : DECISION_EN;
  const actionRe = language === 'zh' ? ACTION_ZH : ACTION_EN;
  const decisions: string[] = [];
  const actionItems: ExtractedAction[] = [];
  const concerns: string[] = [];
  const scope: string[] = [];
  const amounts: Amount[] = [];
  const dates: NamedDate[] = [];
  const content: { s: string; weight: number }[] = [];
  let section: Section | null = null;
  const today = meetingDay.toISOString().slice(0, 10);
  for (const line of splitLines(minutes)) {
    if (line.heading) {
      section = line.heading;
      continue;
    }
    if (line.meta) continue;
    if (line.next) {
      section = 'other';
      for (const s of line.sentences)
        for (const d of findDates(s, meetingDay)) if (!dates.some((x) => x.text === d.text && x.on === d.on)) dates.push({ text: d.text, on: d.on });
      continue;
    }
    for (const s of line.sentences) {
      const title = cleanTitle(s);
      const isDecision = section === 'decision' || decisionRe.test(s) || DECISION_ZH.test(s) || DECISION_EN.test(s);
      const isAction = section === 'action' || actionRe.test(s) || ACTION_ZH.test(s) || ACTION_EN.test(s);
      const owner = isAction ? extractOwner(s, people) : { id: null, name: null };
      // a day before the meeting is something that happened ("11 月 27 日宕机"), never a due date
      const named = isAction ? extractDue(s, meetingDay) : null;
      const due = named && named >= today ? named : null;
      const isConcern = section === 'concern' || CONCERN_ZH.test(s) || CONCERN_EN.test(s);
      const isScope = section === 'scope' || SCOPE_ZH.test(s) || SCOPE_EN.test(s);
      // an action needs someone or a date to be actionable; otherwise a decision-like line stays a decision
      let kind: 'action' | 'decision' | 'concern' | null = null;
      if (/^(风险|顾虑|关注点|客户关注|risks?|concerns?)\s*[:：]/i.test(s)) kind = 'concern';
      else if (/^(决议|决定|结论|decisions?|agreed)\s*[:：]/i.test(s)) kind = 'decision';
      else if (isAction && (owner.name || due) && (section === 'action' || !(section === 'decision' || section === 'concern') || owner.name))
        kind = 'action';
      else if (section === 'concern') kind = 'concern';
      else if (isDecision) kind = 'decision';
      else if (isConcern) kind = 'concern';
      if (kind === 'action') actionItems.push({ title, ownerId: owner.id, ownerName: owner.name, dueOn: due });
      else if (kind === 'decision') decisions.push(title);
      else if (kind === 'concern') concerns.push(title);
      if (isScope && kind !== 'action' && !scope.includes(title)) scope.push(title);
      const found = findAmounts(s);
      for (const a of found) if (!amounts.some((x) => x.text === a && x.context === title)) amounts.push({ text: a, context: title });
      for (const d of findDates(s, meetingDay)) if (!dates.some((x) => x.text === d.text && x.on === d.on)) dates.push({ text: d.text, on: d.on });
      content.push({ s, weight: 1 + (found.length ? 0.5 : 0) + (isScope ? 0.3 : 0) + (kind === 'concern' ? 0.3 : 0) });
    }
  }
  // extractive summary: sentences with the most frequent content words (amounts, scope, concerns weigh more), in their order
  const freq = new Map<string, number>();
  const perSentence = content.map((c) => words(c.s, language));
  for (const ws of perSentence) for (const w of ws) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = content.map((c, i) => ({
    i,
    s: c.s,
    score: (c.weight * perSentence[i].reduce((a, w) => a + (freq.get(w) ?? 0), 0)) / Math.max(3, perSentence[i].length),
  }));
  const top = [...scored]
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, maxSentences)
    .sort((a, b) => a.i - b.i);
  const summary = top.map((x) => x.s).join(language === 'zh' ? '' : ' ');
  return { language, summary, decisions, actionItems, source: 'offline', amounts, dates, concerns, scope };
}
