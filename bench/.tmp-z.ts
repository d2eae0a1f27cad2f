const parts: string[] = [];
for (let i = 0; i < 200000; i++) parts.push(`id: ${i}\ndata: {"n":${i},"price":${(i * 1.37).toFixed(2)},"sym":"ABC"}\n\n`);
const bytes = new TextEncoder().encode(parts.join(''));
const chunks: Uint8Array[] = [];
for (let at = 0; at < bytes.length; at += 1024) chunks.push(bytes.subarray(at, at + 1024));
const td = new TextDecoder('utf-8', {ignoreBOM: true}); const opts = {stream: true};
function a() { let n=0; for (const c of chunks) n += td.decode(c, opts).length; return n; }
function b() { let n=0; for (const c of chunks) { let ascii = true; for (let k=0;k<c.length;k++) if (c[k] > 127) { ascii=false; break; } n += (ascii ? String.fromCharCode.apply(null, c as any) : td.decode(c, opts)).length; } return n; }
const u32 = (c: Uint8Array) => new Uint32Array(c.buffer, c.byteOffset, c.length >> 2);
function c2() { let n=0; for (const c of chunks) { let ascii = true; if ((c.byteOffset & 3) === 0) { const w = u32(c); for (let k=0;k<w.length;k++) if (w[k] & 0x80808080) { ascii=false; break; } for (let k=w.length*4;k<c.length;k++) if (c[k]>127) {ascii=false;break;} } else ascii=false; n += (ascii ? String.fromCharCode.apply(null, c as any) : td.decode(c, opts)).length; } return n; }
const tl = new TextDecoder('latin1');
function d() { let n=0; for (const c of chunks) n += tl.decode(c).length; return n; }
for (const [name, f] of [['td', a], ['ascii+fcc', b], ['u32+fcc', c2], ['latin1', d]] as const) { for (let i=0;i<5;i++) f(); const r:number[]=[]; for (let i=0;i<15;i++){const t=performance.now(); f(); r.push(performance.now()-t);} r.sort((x,y)=>x-y); console.log(name, r[7]); }
