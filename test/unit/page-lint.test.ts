import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Every message for `code` in a page-script file (the rule's without its "Page script: "). */
async function findings(code: string, file = 'src/content/page/example.ts'): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${file}` });
  return result.messages.map((m) => (m.ruleId === 'no-restricted-syntax' ? m.message.replace(/^Page script: /, '') : `${m.ruleId}: ${m.message}`));
}
const starts = (messages: string[], start: string) => messages.map((m) => m.slice(0, start.length));

// Linting itself takes milliseconds; loading the config and parser takes seconds on a busy machine.
describe('the page-script rule (eslint.config.js, src/content/page/**)', { timeout: 30_000 }, () => {
  beforeAll(() => findings(''), 120_000);

  it.each([
    ['instanceof', 'export const f = (x: unknown) => x instanceof Node;', 'no instanceof.'],
    ['in', "export const f = (d: object) => 'value' in d;", 'no `in`.'],
    ['for…in', 'export function f(o: object) { for (const k in o) void k; }', 'no for…in.'],
    ['for…of', 'export function f(a: number[]) { for (const x of a) void x; }', 'no for…of.'],
    ['array spread', 'export const f = (a: number[]) => [...a];', 'no spreading of arrays o'],
    ['argument spread', 'export const f = (g: (...a: number[]) => void, a: number[]) => g(...a);', 'no spreading of arrays o'],
    ['array destructuring', 'export const f = (a: number[]) => { const [x] = a; return x; };', 'no array destructuring.'],
    ['async', 'export async function f() {}', 'no async/await.'],
    ['await', 'export const f = async (p: Promise<number>) => await p;', 'no async/await.'],
    ['generator', 'export function* f() { yield 1; }', 'no generators.'],
    ['push', 'export const f = (a: number[]) => a.push(1);', 'an Array.prototype metho'],
    ['string method', 'export const f = (s: string) => s.toLowerCase();', 'a String.prototype method'],
    ['then', 'export const f = (p: Promise<number>) => p.then(() => 1);', 'a Promise.prototype metho'],
    ['call', 'export const f = (g: () => void) => g.call(null);', 'a Function.prototype meth'],
    ['toString', 'export const f = (n: number) => n.toString(16);', 'an Object.prototype / Num'],
    ['regexp exec', 'export const f = (s: string) => /a/.exec(s);', 'a RegExp.prototype method'],
    ['prototype read at run time', "export const f = (x: FormData) => R.apply(FormData.prototype.has, x, ['']);", 'a prototype method read a'],
    ['global built-in', 'export const f = (o: object) => Object.getPrototypeOf(o) === null;', 'a language built-in (or g'],
    ['globalThis', 'export const f = () => globalThis;', 'a language built-in (or g'],
    ['native Map', 'export const m = new NativeWeakMap();', "a native Map/Set's method"],
  ])('catches %s', async (_name, code, start) => {
    expect(starts(await findings(code), start)).toContain(start);
  });

  it('lets the safe forms through', async () => {
    const safe = [
      "import { R, S, append, at, hasOwn, join } from './natives';",
      'const P = XMLHttpRequest.prototype;',
      'const open = P.open;',
      'export function f(list: string[], d: object, s: string) {',
      '  const out: string[] = [];',
      '  for (let i = 0; i < list.length; i++) append(out, at(list, i) ?? "");',
      "  const copy = { ...d, more: hasOwn(d, 'value') };",
      "  return [join(out, ','), S.slice(s, 1), R.apply(open, copy, []), `${list.length}`];",
      '}',
    ].join('\n');
    expect(await findings(safe)).toEqual([]);
  });

  it('natives.ts may read the built-ins it captures; other files may not', async () => {
    const code = 'export const ObjectPrototype = Object.prototype;';
    expect(await findings(code, 'src/content/page/natives.ts')).toEqual([]);
    expect(starts(await findings(code, 'src/content/page/other.ts'), 'a language built-in')).toEqual(['a language built-in']);
  });

  it('applies to the page script only', async () => {
    expect(await findings('export const f = (a: number[]) => a.map((x) => x instanceof Node);', 'src/shared/example.ts')).toEqual([]);
  });
});
