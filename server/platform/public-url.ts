/**
 * The console's address as the operator configured it (PUBLIC_URL): links in mail and IM cards that jobs
 * write long after any request. The app sets it at start; without it, PUBLIC_URL or the local default.
 */
let configured: string | null = null;

export function configurePublicUrl(url: string | null | undefined) {
  configured = url ? url.replace(/\/$/, '') : null;
}

export function publicUrl(env: NodeJS.ProcessEnv = process.env): string {
  return configured ?? (env.PUBLIC_URL ?? `http://localhost:${env.PORT ?? 3000}`).replace(/\/$/, '');
}
