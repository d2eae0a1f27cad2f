import { createSseParser } from '../src/shared/decode/sse';
import { createParser } from 'eventsource-parser';
const parts: string[] = [];
for (let i = 0; i < 200000; i++) {
  if (i % 1000 === 0) parts.push(': keep-alive\n');
  if (i % 10 === 0) parts.push(`event: update\nid: ${i}\ndata: {"n":${i},"text":"héllo wörld ✓ ${i}"}\ndata: second line\n\n`);
  else parts.push(`id: ${i}\ndata: {"n":${i},"price":${(i * 1.37).toFixed(2)},"sym":"ABC"}\n\n`);
}
const bytes = new TextEncoder().encode(parts.join(''));
const chunks: Uint8Array[] = [];
for (let at = 0; at < bytes.length; at += 1024) chunks.push(bytes.subarray(at, at + 1024));
const td = new TextDecoder(); const texts = chunks.map(c => td.decode(c, {stream: true}));
function ours() { const p = createSseParser(); let n = 0; for (const c of texts) { const r = p.feed(c); n += r.length; } return n; }
function peer() { let n = 0; const p = createParser({ onEvent() { n++; } }); for (const c of texts) p.feed(c); return n; }
for (let i=0;i<5;i++) { ours(); peer(); }
const a: number[] = [], b: number[] = [];
for (let i=0;i<15;i++) { let t = performance.now(); ours(); a.push(performance.now()-t); t = performance.now(); peer(); b.push(performance.now()-t); }
a.sort((x,y)=>x-y); b.sort((x,y)=>x-y); console.log('ours', a[7], 'peer', b[7]);
