/** A CDP Profiler profile read as the top frames by self time (bench/profile.ts, bench/profile-panel.ts). */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  children?: number[];
}
export interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const isOurs = (url: string) => url.startsWith('chrome-extension://');

/**
 * Self time per frame (function, script:line; ms), most first, without idle; `total` and `ours`
 * (in netlens's scripts, chrome-extension://) in ms.
 */
export function selfTimes(profile: Profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));
  const frames = new Map<string, { ms: number; ours: boolean }>();
  let total = 0;
  let ours = 0;
  for (const [id, us] of self) {
    const n = byId.get(id)!;
    const { functionName, url, lineNumber } = n.callFrame;
    if (functionName === '(idle)') continue;
    const file = url ? url.replace(/^chrome-extension:\/\/[^/]+\//, 'ext:').replace(/^https?:\/\/[^/]+\//, '') : '';
    const key = `${functionName || '(anonymous)'}  ${file}${url ? `:${lineNumber + 1}` : ''}`;
    const f = frames.get(key) ?? { ms: 0, ours: isOurs(url) };
    f.ms += us / 1000;
    frames.set(key, f);
    total += us / 1000;
    if (isOurs(url)) ours += us / 1000;
  }
  return { frames: [...frames].sort((a, b) => b[1].ms - a[1].ms), total, ours };
}

/** Prints the first `top` of selfTimes' frames, one a line: ms, ◆ for netlens's (with `marks`), the frame. */
export function printFrames(frames: ReturnType<typeof selfTimes>['frames'], top: number, marks = true): void {
  for (const [key, f] of frames.slice(0, top)) console.log(`     ${f.ms.toFixed(1).padStart(8)} ms ${marks && f.ours ? '◆' : ' '} ${key}`);
}

