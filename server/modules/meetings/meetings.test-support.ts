/** Test helpers: a real SMTP server on loopback that keeps what arrives, and a tiny OpenAI-compatible server. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export type Received = { from: string; to: string[]; raw: string; subject: string; text: string; ics: string | null };

/** Decodes a MIME message just enough: headers (RFC 2047 words), text/plain and text/calendar parts. */
export function parseMime(raw: string): { subject: string; text: string; ics: string | null } {
  const [head] = raw.split(/\r?\n\r?\n/);
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const subjRaw = /^subject:\s*(.*)$/im.exec(unfolded)?.[1] ?? '';
  const subject = subjRaw.replace(/=\?utf-8\?([bq])\?([^?]*)\?=\s*/gi, (_m, enc: string, data: string) =>
    enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : decodeQp(data.replace(/_/g, ' ')),
  );
  const parts: { type: string; body: string }[] = [];
  const walk = (chunk: string) => {
    const [h, ...rest] = chunk.split(/\r?\n\r?\n/);
    const hdr = h.replace(/\r?\n[ \t]+/g, ' ');
    const type = (/^content-type:\s*([^;\s]+)/im.exec(hdr)?.[1] ?? 'text/plain').toLowerCase();
    const body = rest.join('\r\n\r\n');
    const boundary = /boundary="?([^";\s]+)"?/i.exec(hdr)?.[1];
    if (type.startsWith('multipart/') && boundary) {
      for (const p of body.split(`--${boundary}`).slice(1)) if (!p.startsWith('--')) walk(p.replace(/^\r?\n/, ''));
      return;
    }
    const cte = (/^content-transfer-encoding:\s*(\S+)/im.exec(hdr)?.[1] ?? '7bit').toLowerCase();
    const decoded =
      cte === 'base64' ? Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8') : cte === 'quoted-printable' ? decodeQp(body) : body;
    parts.push({ type, body: decoded });
  };
  walk(raw);
  return {
    subject,
    text: parts.find((p) => p.type === 'text/plain')?.body ?? '',
    ics: parts.find((p) => p.type === 'text/calendar' || p.type === 'application/ics')?.body ?? null,
  };
}

function decodeQp(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    if (src[i] === '=' && /^[0-9A-F]{2}$/i.test(src.slice(i + 1, i + 3))) {
      bytes.push(parseInt(src.slice(i + 1, i + 3), 16));
      i += 2;
    } else bytes.push(...Buffer.from(src[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A real SMTP server on 127.0.0.1 (AUTH required when user/pass are given); no STARTTLS offered. */
export async function startSmtp(auth?: { user: string; pass: string }) {
  const inbox: Received[] = [];
  const logins: string[] = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: auth ? ['STARTTLS'] : ['STARTTLS', 'AUTH'],
    authOptional: !auth,
    allowInsecureAuth: true,
    logger: false,
    onAuth(a, _session, cb) {
      logins.push(a.username ?? '');
      if (auth && a.username === auth.user && a.password === auth.pass) cb(null, { user: a.username });
      else cb(new Error('Invalid username or password'));
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        inbox.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          ...parseMime(raw),
        });
        cb();
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.server.address() as AddressInfo).port;
  return { port, inbox, logins, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** A tiny OpenAI-compatible chat-completions server on 127.0.0.1; `reply` scripts each answer. */
export async function startFakeLlm() {
  const requests: { auth: string | undefined; body: { model: string; messages: { role: string; content: string }[] } }[] = [];
  let reply: (n: number) => { status: number; body: unknown } = () => ({ status: 500, body: { error: 'unset' } });
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) return res.writeHead(404).end();
      requests.push({ auth: req.headers.authorization, body: JSON.parse(data) });
      const r = reply(requests.length);
      res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(fn: typeof reply) {
      reply = fn;
    },
    completion(content: unknown) {
      return {
        status: 200,
        body: {
          id: 'c1',
          object: 'chat.completion',
          created: 0,
          model: 'fake',
          choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: JSON.stringify(content) } }],
        },
      };
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
