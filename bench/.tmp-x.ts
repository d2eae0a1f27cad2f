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
// bare loop: indexOf per line + slice per non-empty line
function bare() { let n=0; let pending=''; for (const t of texts) { let pos=0; for (let lf=t.indexOf('\n'); lf!==-1; lf=t.indexOf('\n',pos)) { if (lf>pos) { const s=t.slice(pos+4, lf); n+=s.length&1; } else n++; pos=lf+1; } pending=t.slice(pos);} return n; }
function bare2() { let n=0; const out:any[]=[]; for (const t of texts) { let pos=0; for (let lf=t.indexOf('\n'); lf!==-1; lf=t.indexOf('\n',pos)) { if (lf>pos) { const s=t.slice(pos+4, lf); n+=s.length&1; } else out.push({kind:'event', type:'message', data:'x', lastEventId:'y'}); pos=lf+1; } } return n; }
for (const [name, f] of [['bare', bare], ['bare+objs', bare2]] as const) { for (let i=0;i<5;i++) f(); const a:number[]=[]; for (let i=0;i<15;i++){const t=performance.now(); f(); a.push(performance.now()-t);} a.sort((x,y)=>x-y); console.log(name, a[7]); }
