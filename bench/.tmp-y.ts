class Ev { kind = 'event' as const; constructor(public type: string, public data: string, public lastEventId: string) {} }
const N = 200000;
const strs = Array.from({length: N}, (_, i) => 'data ' + i);
function lit() { let out: any[] = []; let n=0; for (let i=0;i<N;i++){ out.push({kind:'event', type: 'message', data: strs[i], lastEventId: strs[i]}); if (out.length>16){n+=out.length; out=[];} } return n; }
function cls() { let out: any[] = []; let n=0; for (let i=0;i<N;i++){ out.push(new Ev('message', strs[i], strs[i])); if (out.length>16){n+=out.length; out=[];} } return n; }
for (const [name, f] of [['lit', lit], ['cls', cls]] as const) { for (let i=0;i<5;i++) f(); const a:number[]=[]; for (let i=0;i<15;i++){const t=performance.now(); f(); a.push(performance.now()-t);} a.sort((x,y)=>x-y); console.log(name, a[7]); }
