// The startup benchmark's baseline: the least a Fastify + PGlite server does — open (or initdb) the data
// folder with Keyward's PGlite settings and answer GET /api/health with `select 1`. No app, no migrations.
import Fastify from 'fastify';
import { PGlite } from '@electric-sql/pglite';

const db = new PGlite({ dataDir: process.env.DATA_DIR, postgresqlconf: ['shared_buffers = 32MB'] });
await db.waitReady;
const app = Fastify({ logger: false });
app.get('/api/health', async () => {
  await db.query('select 1');
  return { status: 'ok' };
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
