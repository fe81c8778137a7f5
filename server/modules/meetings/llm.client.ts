/**
 * The OpenAI-compatible summariser: the `openai` client with the workspace's base URL, model and key,
 * a timeout and retries, sending only this meeting's title, agenda, attendees' names and minutes.
 * Every connection goes through the same SSRF rules as webhooks (checkTarget on each resolved address,
 * the socket pinned to the checked address); hosts are allowed past it only by explicit configuration.
 */
import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
// the client loads on first use: most workspaces never configure an LLM, and it slows every start
const loadOpenAI = async () => (await import('openai')).default;
import { z } from 'zod';
// the generic outbound guard lives with webhooks for now (the lead moves it to server/platform/)
import { checkTarget, checkOutboundUrl, normaliseHost } from '../../platform/outbound.js';
import { fail, ok, type RuleResult } from '../../platform/errors.js';
import type { Person, Summary } from './summariser.domain.js';
import { extractDue } from './summariser.domain.js';

let allowOverride: string[] | null = null;
/**
 * Hosts the LLM may reach although internal: none, unless configured explicitly — the environment
 * variable KW_LLM_ALLOW_HOSTS (comma-separated), or a test calling this.
 */
export function allowLlmHosts(hosts: string[] | null) {
  allowOverride = hosts;
}
export function llmAllowHosts(): string[] {
  if (allowOverride) return allowOverride;
  return (process.env.KW_LLM_ALLOW_HOSTS ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
}

/** The base URL an admin configures: http(s), no credentials, not loopback or a private range. */
export function checkLlmUrl(raw: string): RuleResult<string> {
  const r = checkOutboundUrl(raw, llmAllowHosts());
  if (!r.ok) return fail(r.key === 'webhook.blocked_address' ? 'meeting.llm_blocked' : 'meeting.llm_bad_url', r.params, 'llmBaseUrl');
  return ok(r.value.toString().replace(/\/$/, ''));
}

export class BlockedLlmTarget extends Error {}

/** A fetch for the openai client whose every socket is checked against the SSRF rules and pinned. */
export function guardedFetch(allowHosts: string[], maxBytes = 1_000_000): typeof fetch {
  return (async (input: string | URL | Request, init?: RequestInit) => {
    const u = new URL(typeof input === 'string' || input instanceof URL ? input.toString() : input.url);
    const host = normaliseHost(u.hostname);
    if (net.isIP(host)) {
      const r = checkTarget(host, host, allowHosts);
      if (!r.ok) throw new BlockedLlmTarget(`refused internal address ${host}`);
    }
    const lookup: net.LookupFunction = (hostname, options, cb) => {
      dns.lookup(hostname, { all: true, verbatim: true }, (err, addrs) => {
        if (err) return (cb as (e: Error) => void)(err);
        const list = addrs as dns.LookupAddress[];
        for (const a of list) {
          if (!checkTarget(hostname, a.address, allowHosts).ok) return (cb as (e: Error) => void)(new BlockedLlmTarget(`refused internal address ${hostname} (${a.address})`));
        }
        const pinned = list[0];
        if ((options as { all?: boolean }).all) (cb as unknown as (e: null, a: dns.LookupAddress[]) => void)(null, [pinned]);
        else cb(null, pinned.address, pinned.family);
      });
    };
    const headers: Record<string, string> = {};
    new Headers(init?.headers ?? (input instanceof Request ? input.headers : undefined)).forEach((v, k) => (headers[k] = v));
    const body = init?.body == null ? undefined : typeof init.body === 'string' ? init.body : Buffer.from(await new Response(init.body).arrayBuffer());
    const mod = u.protocol === 'https:' ? https : http;
    return new Promise<Response>((resolve, reject) => {
      const req = mod.request(u, { method: init?.method ?? 'GET', headers, lookup }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > maxBytes) req.destroy(new Error('response too large'));
          else chunks.push(c);
        });
        res.on('end', () => {
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (v !== undefined) h.set(k, Array.isArray(v) ? v.join(', ') : v);
          resolve(new Response(Buffer.concat(chunks), { status: res.statusCode ?? 500, headers: h }));
        });
        res.on('error', reject);
      });
      const signal = init?.signal;
      if (signal) {
        if (signal.aborted) req.destroy(new Error('aborted'));
        signal.addEventListener('abort', () => req.destroy(new Error('aborted')), { once: true });
      }
      req.on('error', reject);
      req.end(body);
    });
  }) as typeof fetch;
}

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
export async function summariseWithLlm(cfg: LlmConfig, m: MeetingForSummary, opts: { timeoutMs?: number; maxRetries?: number } = {}): Promise<Summary> {
  const client = new (await loadOpenAI())({ baseURL: cfg.baseUrl, apiKey: cfg.apiKey, timeout: opts.timeoutMs ?? 20_000, maxRetries: opts.maxRetries ?? 2, fetch: guardedFetch(llmAllowHosts()) });
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
      { role: 'user', content: JSON.stringify({ title: m.title, date: day, attendees: m.attendees.map((a) => a.name), agenda: m.agenda, minutes: m.minutes }) },
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
