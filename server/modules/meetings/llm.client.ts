/**
 * The OpenAI-compatible summariser: the `openai` client with the workspace's base URL, model and key,
 * a timeout and retries, sending only this meeting's title, agenda, attendees' names and minutes.
 * Every connection goes through the same SSRF rules as webhooks (checkTarget on each resolved address,
 * the socket pinned to the checked address); hosts are allowed past it only by explicit configuration.
 */
// the client loads on first use: most workspaces never configure an LLM, and it slows every start
const loadOpenAI = async () => (await import('openai')).default;
import { z } from 'zod';
import { checkOutboundUrl } from '../../platform/outbound.js';
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import type { Person, Summary } from './summariser.domain.js';
import { extractDue } from './summariser.domain.js';

/**
 * Hosts the LLM may reach although internal: the operator's list only (KW_OUTBOUND_ALLOW_HOSTS, read
 * at every call), never a workspace's.
 */
export function llmAllowHosts(): string[] {
  return operatorAllowHosts();
}

/** The base URL an admin configures: http(s), no credentials, not loopback or a private range. */
export function checkLlmUrl(raw: string): RuleResult<string> {
  const r = checkOutboundUrl(raw, llmAllowHosts());
  if (!r.ok) return fail(r.key === 'webhook.blocked_address' ? 'meeting.llm_blocked' : 'meeting.llm_bad_url', r.params, 'llmBaseUrl');
  return ok(r.value.toString().replace(/\/$/, ''));
}

export { BlockedOutboundTarget as BlockedLlmTarget, guardedFetch } from '../../platform/outbound-fetch.js';
import { guardedFetch, operatorAllowHosts } from '../../platform/outbound-fetch.js';

export type LlmConfig = { baseUrl: string; model: string; apiKey: string };
export type MeetingForSummary = { title: string; agenda: string; minutes: string; startsAt: Date; attendees: Person[] };

const LlmReply = z.object({
  summary: z.string().max(4000),
  decisions: z.array(z.string().max(500)).max(30).default([]),
  actionItems: z
    .array(z.object({ title: z.string().min(1).max(500), owner: z.string().max(100).nullish(), due: z.string().max(40).nullish() }))
    .max(50)
    .default([]),
});

/** Calls the endpoint; throws on any failure (the caller falls back to the offline summariser). */
export async function summariseWithLlm(
  cfg: LlmConfig,
  m: MeetingForSummary,
  opts: { timeoutMs?: number; maxRetries?: number } = {},
): Promise<Summary> {
  const client = new (await loadOpenAI())({
    baseURL: cfg.baseUrl,
    apiKey: cfg.apiKey,
    timeout: opts.timeoutMs ?? 20_000,
    maxRetries: opts.maxRetries ?? 2,
    fetch: guardedFetch(llmAllowHosts()),
  });
  const day = m.startsAt.toISOString().slice(0, 10);
  const res = await client.chat.completions.create({
    model: cfg.model,
    temperature: 0.2,
    response_format: { type: 'json_object' },
    messages: [
      {
        role: 'system',
        content:
          'You summarise meeting minutes for a B2B service team. Reply with JSON only: {"summary": string, "decisions": string[], "actionItems": [{"title": string, "owner": string|null, "due": "YYYY-MM-DD"|null}]}. Write in the language of the minutes. Owners must be attendees.',
      },
      {
        role: 'user',
        content: JSON.stringify({ title: m.title, date: day, attendees: m.attendees.map((a) => a.name), agenda: m.agenda, minutes: m.minutes }),
      },
    ],
  });
  const text = res.choices[0]?.message?.content ?? '';
  const json = LlmReply.parse(JSON.parse(text.replace(/^```(?:json)?\s*|\s*```$/g, '')));
  const byName = new Map(m.attendees.map((a) => [a.name.toLowerCase(), a]));
  return {
    language: /\p{Script=Han}/u.test(m.minutes) ? 'zh' : 'en',
    summary: json.summary,
    decisions: json.decisions,
    actionItems: json.actionItems.map((a) => {
      const p = a.owner ? byName.get(a.owner.toLowerCase()) : undefined;
      const due = a.due && /^\d{4}-\d{2}-\d{2}$/.test(a.due) ? a.due : a.due ? extractDue(a.due, m.startsAt) : null;
      return { title: a.title.replace(/[\r\n]+/g, ' ').slice(0, 200), ownerId: p?.id ?? null, ownerName: p?.name ?? a.owner ?? null, dueOn: due };
    }),
    source: 'llm',
  };
}
