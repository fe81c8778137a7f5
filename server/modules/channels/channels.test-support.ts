/**
 * Real local receivers for the three IM platforms (node:http on 127.0.0.1, free ports), each checking
 * a request the way its platform documents it, written here independently of the sender:
 * - WeCom group robot: POST /cgi-bin/webhook/send?key=KEY; the key must match (else errcode 93000).
 * - DingTalk custom robot: POST /robot/send?access_token=TOKEN&timestamp=MS&sign=SIGN with
 *   SIGN = base64(HMAC-SHA256(key = secret, timestamp + "\n" + secret)); a wrong sign or a timestamp more
 *   than an hour from now is refused with errcode 310000.
 * - Feishu custom bot: POST /open-apis/bot/v2/hook/TOKEN with `timestamp` (seconds) and `sign` in the JSON
 *   body, sign = base64(HMAC-SHA256(key = timestamp + "\n" + secret, empty message)); wrong or older than an
 *   hour: code 19021.
 * Each answers its platform's JSON (`{"errcode":0,"errmsg":"ok"}`, `{"code":0,"msg":"success"}`), or the
 * answer a test queues with `next()` (a rate-limit code, an HTTP error). The notification centre's tests use it too.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ImPlatformName = 'wecom' | 'dingtalk' | 'feishu';

export type ReceivedIm = {
  platform: ImPlatformName;
  at: Date;
  /** the request path and query as sent */
  url: string;
  headers: http.IncomingHttpHeaders;
  /** the parsed JSON body (null when it was not JSON) */
  body: Record<string, unknown> | null;
  /** the signature / key checked out and the message had the platform's shape */
  verified: boolean;
  /** why the receiver refused it (when not verified) */
  refusal: string | null;
};

export type ScriptedReply = { status?: number; body: unknown };

export type ImReceiver = {
  platform: ImPlatformName;
  /** the robot's webhook address as the platform would issue it */
  url: string;
  /** WeCom: the key in the URL; DingTalk / Feishu: the signing secret */
  secret: string;
  /** every request, verified or not, oldest first */
  received: ReceivedIm[];
  /** the verified messages only */
  messages(): ReceivedIm[];
  /** answer the next request(s) with these replies instead of success (after verifying it) */
  next(...replies: ScriptedReply[]): void;
};

const b64hmac = (key: string, msg: string) => crypto.createHmac('sha256', key).update(msg).digest('base64');
const safeEqual = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && crypto.timingSafeEqual(x, y);
};
const HOUR = 3_600_000;

function shapeProblem(platform: ImPlatformName, b: Record<string, unknown>): string | null {
  const md = b.markdown as Record<string, unknown> | undefined;
  if (platform === 'wecom') return b.msgtype === 'markdown' && typeof md?.content === 'string' ? null : 'not a WeCom markdown message';
  if (platform === 'dingtalk') {
    if (b.msgtype === 'markdown' && typeof md?.title === 'string' && typeof md?.text === 'string') return null;
    const ac = b.actionCard as Record<string, unknown> | undefined;
    return b.msgtype === 'actionCard' && typeof ac?.text === 'string' ? null : 'not a DingTalk markdown or actionCard message';
  }
  const card = b.card as Record<string, unknown> | undefined;
  return b.msg_type === 'interactive' && card && Array.isArray(card.elements) ? null : 'not a Feishu interactive card';
}

/** Starts one receiver per platform; `close()` stops them all. */
export async function startImReceivers(): Promise<{
  wecom: ImReceiver;
  dingtalk: ImReceiver;
  feishu: ImReceiver;
  /** every verified message of the three, oldest first */
  all(): ReceivedIm[];
  close(): Promise<void>;
}> {
  const token = () => crypto.randomBytes(16).toString('hex');
  const make = async (platform: ImPlatformName): Promise<ImReceiver & { server: http.Server }> => {
    const secret = platform === 'dingtalk' ? `SEC${crypto.randomBytes(32).toString('hex')}` : platform === 'wecom' ? crypto.randomUUID() : token();
    const access = token();
    const received: ReceivedIm[] = [];
    const script: ScriptedReply[] = [];
    const ok = platform === 'feishu' ? { code: 0, msg: 'success', data: {} } : { errcode: 0, errmsg: 'ok' };
    const server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const u = new URL(req.url ?? '/', 'http://receiver');
        const text = Buffer.concat(chunks).toString('utf8');
        let body: Record<string, unknown> | null = null;
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          body = null;
        }
        const answer = (status: number, json: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(json));
        };
        const refuse = (why: string, json: unknown) => {
          received.push({ platform, at: new Date(), url: req.url ?? '', headers: req.headers, body, verified: false, refusal: why });
          answer(200, json);
        };
        if (req.method !== 'POST') return refuse('not a POST', platform === 'feishu' ? { code: 9499, msg: 'bad request' } : { errcode: 40000 });
        if (!body) return refuse('not JSON', platform === 'feishu' ? { code: 9499, msg: 'bad request' } : { errcode: 40000, errmsg: 'invalid json' });
        const now = Date.now();
        if (platform === 'wecom') {
          if (u.pathname !== '/cgi-bin/webhook/send' || u.searchParams.get('key') !== secret)
            return refuse('key does not match', { errcode: 93000, errmsg: 'invalid webhook url' });
        } else if (platform === 'dingtalk') {
          if (u.pathname !== '/robot/send' || u.searchParams.get('access_token') !== access)
            return refuse('access_token does not match', { errcode: 300001, errmsg: 'token is not exist' });
          const ts = u.searchParams.get('timestamp') ?? '';
          const sign = u.searchParams.get('sign') ?? ''; // URLSearchParams has URL-decoded it
          if (!/^\d{13}$/.test(ts) || Math.abs(now - Number(ts)) > HOUR)
            return refuse('timestamp missing or more than an hour away', { errcode: 310000, errmsg: 'sign not match, timestamp is invalid' });
          if (!safeEqual(sign, b64hmac(secret, `${ts}\n${secret}`)))
            return refuse('sign does not match', { errcode: 310000, errmsg: 'sign not match' });
        } else {
          if (u.pathname !== `/open-apis/bot/v2/hook/${access}`)
            return refuse('hook token does not match', { code: 19001, msg: 'param invalid: incoming webhook access token invalid' });
          const ts = String(body.timestamp ?? '');
          const sign = String(body.sign ?? '');
          if (!/^\d{10}$/.test(ts) || Math.abs(now - Number(ts) * 1000) > HOUR)
            return refuse('timestamp missing or more than an hour away', {
              code: 19021,
              msg: 'sign match fail or timestamp is not within one hour from current time',
            });
          if (!safeEqual(sign, b64hmac(`${ts}\n${secret}`, '')))
            return refuse('sign does not match', { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' });
        }
        const problem = shapeProblem(platform, body);
        if (problem) return refuse(problem, platform === 'feishu' ? { code: 9499, msg: problem } : { errcode: 40008, errmsg: problem });
        received.push({ platform, at: new Date(), url: req.url ?? '', headers: req.headers, body, verified: true, refusal: null });
        const scripted = script.shift();
        if (scripted) answer(scripted.status ?? 200, scripted.body);
        else answer(200, ok);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url =
      platform === 'wecom'
        ? `${base}/cgi-bin/webhook/send?key=${secret}`
        : platform === 'dingtalk'
          ? `${base}/robot/send?access_token=${access}`
          : `${base}/open-apis/bot/v2/hook/${access}`;
    return {
      platform,
      url,
      secret,
      received,
      messages: () => received.filter((m) => m.verified),
      next: (...replies) => script.push(...replies),
      server,
    };
  };
  const [wecom, dingtalk, feishu] = await Promise.all([make('wecom'), make('dingtalk'), make('feishu')]);
  return {
    wecom,
    dingtalk,
    feishu,
    all: () => [...wecom.messages(), ...dingtalk.messages(), ...feishu.messages()].sort((a, b) => a.at.getTime() - b.at.getTime()),
    async close() {
      await Promise.all(
        [wecom, dingtalk, feishu].map(
          (r) =>
            new Promise<void>((done) => {
              r.server.closeAllConnections();
              r.server.close(() => done());
            }),
        ),
      );
    },
  };
}
