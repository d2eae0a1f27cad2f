/**
 * Serves the test pages and the demo site on two local origins, as the tests and `netlens demo`
 * do (src/cli/server.ts: static files, the /api/* endpoints, WebSocket and SSE), until Ctrl-C: to
 * try the extension by hand. `npm run serve [-- <port-a> <port-b>]` (default 8080 and 8081).
 */
import { resolve } from 'node:path';
import { startServers } from '../src/cli/server';

const root = resolve(import.meta.dirname, '..');
const [a = 8080, b = 8081] = process.argv.slice(2).map(Number);
const servers = await startServers([resolve(root, 'test/fixtures/pages'), resolve(root, 'demo')], [a, b]);
console.log(`serving test/fixtures/pages and demo/ at ${servers.a} and, as a second origin, ${servers.b}`);
console.log(`  e.g. ${servers.a}/basic.html, ${servers.a}/index.html?other=${encodeURIComponent(servers.b)} (the demo); Ctrl-C to stop`);
process.once('SIGINT', () => void servers.close().then(() => process.exit(0)));
