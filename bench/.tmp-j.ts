import { parseJsonp } from '../src/shared/decode/jsonp';
const cases: [string, string?][] = [
  ['cb({"a":1});'], ['/**/ typeof cb === \'function\' && cb({"a":[1,2]}, 3);'], ['CallbackRegistry.cb123456({"x":9007199254740993})', 'CallbackRegistry.cb123456'],
  ['window.cb("hi")', 'cb'], ['window["jQuery123_456"]({"ok":true})', 'jQuery123_456'], ['if (typeof cb == "function") { cb({a:1}) }'],
  ['try { cb([1]) } catch (e) {}'], ['cb && cb({"s":"a)b,c"}, [1,{"x":")"}])'], ['foo("x(");', 'bar'], ['cb(' + '['.repeat(100000)], ['cb(' + '['.repeat(100000) + ']'.repeat(100000) + ')'],
];
for (const [s, e] of cases) { const r = parseJsonp(s, e); console.log(JSON.stringify({...r, raw: undefined}).slice(0, 300)); }
