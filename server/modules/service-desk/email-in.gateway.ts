// The inbound SMTP gateway (operator: KW_INBOUND_SMTP_PORT / KW_INBOUND_SMTP_HOST): accepts mail only for
// addresses that are some workspace's enabled support address, up to a size, and hands it to receiveEmail.
// Put it behind the organisation's MX (a relay forwarding the support address here); it does not relay.
import type { AddressInfo } from 'node:net';
import type { Db } from '../../db/client.js';
import { receiveEmail, workspaceForAddress } from './email-in.service.js';

export type InboundGateway = { port: number; close(): Promise<void> };

export async function startInboundSmtp(
  db: Db,
  opts: { port: number; host?: string; maxBytes?: number; log?: (o: object, m: string) => void },
): Promise<InboundGateway> {
  const { SMTPServer } = await import('smtp-server');
  const maxBytes = opts.maxBytes ?? 25 * 1024 * 1024;
  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    size: maxBytes,
    banner: 'Keyward support mailbox',
    logger: false,
    maxClients: 50,
    socketTimeout: 60_000,
    // a shutdown waits this long for a client mid-transfer, then closes it (it retries: nothing acknowledged is lost)
    closeTimeout: 5_000,
    onRcptTo(address, session, cb) {
      workspaceForAddress(db, address.address).then(
        (ws) => {
          if (!ws) return cb(Object.assign(new Error('No such mailbox here'), { responseCode: 550 }));
          const s = session as typeof session & { workspaces?: Set<string> };
          s.workspaces = new Set([...(s.workspaces ?? []), ws]);
          cb();
        },
        () => cb(Object.assign(new Error('Try again later'), { responseCode: 451 })),
      );
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if ((stream as unknown as { sizeExceeded?: boolean }).sizeExceeded)
          return cb(Object.assign(new Error('Message too large'), { responseCode: 552 }));
        const raw = Buffer.concat(chunks);
        const mailFrom = session.envelope.mailFrom;
        const envelopeFrom = mailFrom ? mailFrom.address : '';
        const wss = [...((session as typeof session & { workspaces?: Set<string> }).workspaces ?? [])];
        (async () => {
          for (const ws of wss) await receiveEmail(db, ws, raw, { source: 'smtp', envelopeFrom });
        })().then(
          () => cb(),
          (err) => {
            opts.log?.({ err: (err as Error).message }, 'inbound mail failed');
            cb(Object.assign(new Error('Try again later'), { responseCode: 451 }));
          },
        );
      });
    },
  });
  server.on('error', (err) => opts.log?.({ err: err.message }, 'inbound smtp error'));
  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(opts.port, opts.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
