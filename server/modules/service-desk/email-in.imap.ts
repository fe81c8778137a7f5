// The support mailbox over IMAP (imapflow), behind the operator's outbound guard: the host a workspace admin
// typed is resolved here, every address is checked (loopback/private refused unless KW_OUTBOUND_ALLOW_HOSTS
// names the host), and the connection goes to the checked address, TLS still verified against the name.
import dns from 'node:dns/promises';
import net from 'node:net';
import { checkTarget, normaliseHost } from '../../platform/outbound.js';
import { operatorAllowHosts } from '../../platform/outbound-fetch.js';

export type ImapSettings = { host: string; port: number; tls: boolean; user: string; password: string; folder: string };

export class ImapTargetBlocked extends Error {
  constructor(readonly host: string) {
    super(`refused internal address ${host}`);
  }
}

/** The address to connect to, after the guard: throws ImapTargetBlocked when any resolved address is refused. */
export async function resolveImapTarget(hostIn: string, allowHosts = operatorAllowHosts()): Promise<string> {
  const host = normaliseHost(hostIn);
  const addrs = net.isIP(host) ? [host] : (await dns.lookup(host, { all: true, verbatim: true })).map((a) => a.address);
  if (!addrs.length) throw new Error(`no address for ${host}`);
  for (const a of addrs) if (!checkTarget(host, a, allowHosts).ok) throw new ImapTargetBlocked(host);
  return addrs[0];
}

/** Whether the host is refused by the guard outright (an address literal or a name that resolves to one); unresolvable names pass. */
export async function imapHostBlocked(host: string): Promise<boolean> {
  try {
    await resolveImapTarget(host);
    return false;
  } catch (err) {
    return err instanceof ImapTargetBlocked;
  }
}

// loaded when a mailbox is first polled, not at every server start
const loadImapFlow = async () => (await import('imapflow')).ImapFlow;

async function connect(s: ImapSettings, timeoutMs: number) {
  const address = await resolveImapTarget(s.host);
  const ImapFlow = await loadImapFlow();
  const host = normaliseHost(s.host);
  const client = new ImapFlow({
    host: address,
    port: s.port,
    secure: s.tls,
    ...(net.isIP(host) ? {} : { servername: host }),
    auth: { user: s.user, pass: s.password },
    logger: false,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 3,
    disableAutoIdle: true,
  });
  // an error event after connect (socket reset) must not crash the process: the awaited calls fail instead
  client.on('error', () => {});
  await client.connect();
  return client;
}

/** Signs in and opens the folder; the message count on success. */
export async function testImap(s: ImapSettings, timeoutMs = 10_000): Promise<{ count: number }> {
  const client = await connect(s, timeoutMs);
  try {
    const box = await client.mailboxOpen(s.folder, { readOnly: true });
    return { count: box.exists };
  } finally {
    await client.logout().catch(() => client.close());
  }
}

/**
 * Reads the unseen messages of the folder (at most `limit`, none larger than `maxBytes`), hands each to
 * `handle`, and flags it \Seen once handled. A message whose handling throws stays unseen for the next poll
 * (handling is idempotent by Message-ID). Oversized messages are flagged seen and reported as skipped.
 */
export async function pollImap(
  s: ImapSettings,
  handle: (raw: Buffer) => Promise<void>,
  opts: { limit?: number; maxBytes?: number; timeoutMs?: number } = {},
): Promise<{ handled: number; failed: number; oversized: number }> {
  const client = await connect(s, opts.timeoutMs ?? 20_000);
  let handled = 0;
  let failed = 0;
  let oversized = 0;
  try {
    const lock = await client.getMailboxLock(s.folder);
    try {
      const found = await client.search({ seen: false }, { uid: true });
      const uids = (found || []).slice(0, opts.limit ?? 50);
      for (const uid of uids) {
        const meta = await client.fetchOne(String(uid), { size: true }, { uid: true });
        if (!meta) continue;
        if ((meta.size ?? 0) > (opts.maxBytes ?? 25 * 1024 * 1024)) {
          oversized++;
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
          continue;
        }
        const msg = await client.fetchOne(String(uid), { source: true }, { uid: true });
        if (!msg || !msg.source) continue;
        try {
          await handle(msg.source);
          handled++;
          await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
        } catch {
          failed++;
        }
      }
    } finally {
      lock.release();
    }
  } finally {
    await client.logout().catch(() => client.close());
  }
  return { handled, failed, oversized };
}
