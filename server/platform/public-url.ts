/**
 * The console's address as the operator configured it (PUBLIC_URL): links in mail and IM cards that jobs
 * write long after any request. The app sets it at start; without it, PUBLIC_URL or the local default.
 */
let configured: string | null = null;

export function configurePublicUrl(url: string | null | undefined) {
  configured = url ? url.replace(/\/$/, '') : null;
}

export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  if (configured) return configured;
  const host = env.HOST ?? '127.0.0.1';
  return (env.PUBLIC_URL ?? `http://${host === '0.0.0.0' ? 'localhost' : host}:${env.PORT ?? 3000}`).replace(/\/$/, '');
}
