/**
 * The built-in offline summariser (seed 000: AI summaries; used when no OpenAI-compatible endpoint is
 * configured and whenever the call fails). Extractive, for Chinese and English minutes:
 * - sentences are scored by the frequency of their words (Intl.Segmenter splits Chinese into words);
 * - decisions come from cues such as 决定 / 确定 / 同意 / decided / agreed;
 * - action items from cues such as 负责 / 跟进 / 截止 / 下周 / owner / due / will / action;
 *   the owner is an attendee named in the sentence (or "由X负责", "owner: X"), the due date an explicit
 *   date, "M月D日", "下周X", "next week", "by Friday" resolved against the meeting's date.
 * Pure: the meeting date and attendee names are passed in.
 */

export type Person = { id: string; name: string };
export type ExtractedAction = { title: string; ownerId: string | null; ownerName: string | null; dueOn: string | null };
export type Summary = { language: 'zh' | 'en'; summary: string; decisions: string[]; actionItems: ExtractedAction[]; source: 'offline' | 'llm' };

const DECISION_ZH = /(决定|决议|确定|同意|一致认为|拍板)/;
const DECISION_EN = /\b(decided|decision|agreed|we will go with|approved|resolved)\b/i;
const ACTION_ZH = /(负责|跟进|截止|下周|之前完成|前完成|待办|落实|提交|安排|完成)/;
const ACTION_EN = /\b(owner|due|action( item)?|will|to do|todo|follow[- ]up|by (mon|tues|wednes|thurs|fri|satur|sun)day|next week)\b/i;

const STOP_EN = new Set(
  'the a an and or of to in on for with is are was were be been this that it we our they their at by as from will shall'.split(' '),
);
const STOP_ZH = new Set(['的', '了', '和', '是', '在', '与', '及', '对', '并', '将', '也', '我们', '他们', '一个', '进行', '会议', '需要']);

export function detectLanguage(text: string): 'zh' | 'en' {
  const han = (text.match(/\p{Script=Han}/gu) ?? []).length;
  const latinWords = (text.match(/[A-Za-z]+/g) ?? []).length;
  return han >= latinWords ? 'zh' : 'en';
}

/** Sentences: lines, then sentence ends (。！？；.!?;), with list markers stripped. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\r?\n|\r/)) {
    const parts = line.split(/(?<=[。！？；!?;])|(?<=\.)\s+/);
    for (const p of parts) {
      const s = p.replace(/^\s*(?:[-*•·]|\d+[.)、]|[（(]?\d+[）)]|[一二三四五六七八九十]+、)\s*/, '').trim();
      if (s.replace(/[\p{P}\s]/gu, '').length >= 2) out.push(s);
    }
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

const pad = (n: number) => String(n).padStart(2, '0');
const iso = (d: Date) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
const addDays = (d: Date, n: number) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + n));
const ZH_WEEKDAY: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 日: 7, 天: 7 };
const EN_WEEKDAY: Record<string, number> = { monday: 1, tuesday: 2, wednesday: 3, thursday: 4, friday: 5, saturday: 6, sunday: 7 };
/** ISO weekday 1..7 of a date */
const isoDow = (d: Date) => ((d.getUTCDay() + 6) % 7) + 1;

/** A due date named in a sentence, relative to the meeting's day (a UTC calendar date). */
export function extractDue(sentence: string, meetingDay: Date): string | null {
  let m = /(\d{4})[-/年](\d{1,2})[-/月](\d{1,2})/.exec(sentence);
  if (m) return `${m[1]}-${pad(+m[2])}-${pad(+m[3])}`;
  m = /(\d{1,2})月(\d{1,2})[日号]/.exec(sentence);
  if (m) {
    let y = meetingDay.getUTCFullYear();
    if (+m[1] < meetingDay.getUTCMonth() + 1) y++;
    return `${y}-${pad(+m[1])}-${pad(+m[2])}`;
  }
  m = /下(?:周|星期|礼拜)([一二三四五六日天])/.exec(sentence);
  if (m) return iso(addDays(meetingDay, 7 - isoDow(meetingDay) + ZH_WEEKDAY[m[1]]));
  m = /本(?:周|星期)([一二三四五六日天])/.exec(sentence);
  if (m) return iso(addDays(meetingDay, ZH_WEEKDAY[m[1]] - isoDow(meetingDay)));
  if (/下(周|星期|礼拜)/.test(sentence)) return iso(addDays(meetingDay, 7));
  m = /(\d+)\s*(天|个工作日)内/.exec(sentence);
  if (m) return iso(addDays(meetingDay, +m[1]));
  if (/明天/.test(sentence)) return iso(addDays(meetingDay, 1));
  m = /\bnext (monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i.exec(sentence);
  if (m) return iso(addDays(meetingDay, 7 - isoDow(meetingDay) + EN_WEEKDAY[m[1].toLowerCase()]));
  m = /\b(?:by|on|before|due)\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/i.exec(sentence);
  if (m) {
    const target = EN_WEEKDAY[m[1].toLowerCase()];
    const delta = (target - isoDow(meetingDay) + 7) % 7 || 7;
    return iso(addDays(meetingDay, delta));
  }
  if (/\bnext week\b/i.test(sentence)) return iso(addDays(meetingDay, 7));
  m = /\bwithin (\d+) days?\b/i.exec(sentence);
  if (m) return iso(addDays(meetingDay, +m[1]));
  if (/\btomorrow\b/i.test(sentence)) return iso(addDays(meetingDay, 1));
  return null;
}

/** The owner of an action: an attendee named in the sentence, else a name next to a cue. */
export function extractOwner(sentence: string, people: Person[]): { id: string | null; name: string | null } {
  const named = people
    .filter((p) => p.name && sentence.toLowerCase().includes(p.name.toLowerCase()))
    .sort((a, b) => sentence.toLowerCase().indexOf(a.name.toLowerCase()) - sentence.toLowerCase().indexOf(b.name.toLowerCase()));
  if (named.length) return { id: named[0].id, name: named[0].name };
  let m = /由\s*([\p{Script=Han}A-Za-z]{2,4}?)\s*负责/u.exec(sentence) ?? /^([\p{Script=Han}]{2,3})(?:负责|跟进|牵头)/u.exec(sentence);
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
 * Summarises minutes: a few key sentences, the decisions, the action items.
 * `meetingDay` anchors relative dates ("下周三", "next Friday").
 */
export function summariseOffline(minutes: string, meetingDay: Date, people: Person[] = [], maxSentences = 3): Summary {
  const language = detectLanguage(minutes);
  const sentences = splitSentences(minutes);
  const decisionRe = language === 'zh' ? DECISION_ZH : DECISION_EN;
  const actionRe = language === 'zh' ? ACTION_ZH : ACTION_EN;
  const decisions: string[] = [];
  const actionItems: ExtractedAction[] = [];
  for (const s of sentences) {
    const isDecision = decisionRe.test(s) || DECISION_ZH.test(s) || DECISION_EN.test(s);
    const isAction = actionRe.test(s) || ACTION_ZH.test(s) || ACTION_EN.test(s);
    const owner = isAction ? extractOwner(s, people) : { id: null, name: null };
    const due = isAction ? extractDue(s, meetingDay) : null;
    // an action needs someone or a date to be actionable; otherwise a decision-like line stays a decision
    if (isAction && (owner.name || due)) actionItems.push({ title: cleanTitle(s), ownerId: owner.id, ownerName: owner.name, dueOn: due });
    else if (isDecision) decisions.push(cleanTitle(s));
  }
  // extractive summary: sentences with the most frequent content words, in their original order
  const freq = new Map<string, number>();
  const perSentence = sentences.map((s) => words(s, language));
  for (const ws of perSentence) for (const w of ws) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = sentences.map((s, i) => ({
    i,
    s,
    score: perSentence[i].reduce((a, w) => a + (freq.get(w) ?? 0), 0) / Math.max(3, perSentence[i].length),
  }));
  const top = [...scored]
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, maxSentences)
    .sort((a, b) => a.i - b.i);
  const summary = top.map((x) => x.s).join(language === 'zh' ? '' : ' ');
  return { language, summary, decisions, actionItems, source: 'offline' };
}
