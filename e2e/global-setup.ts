import { execSync } from 'node:child_process';

/** The journeys need the built web bundles and server; build them if missing or stale (as `npm start` does). */
export default function setup() {
  execSync('node scripts/build.mjs', { stdio: 'inherit' });
}
