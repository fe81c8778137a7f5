import { execSync } from 'node:child_process';

/** The journeys need the built web bundles; build them if missing or stale (as `npm start` does). */
export default function setup() {
  execSync('node scripts/ensure-web.mjs', { stdio: 'inherit' });
}
