// ESLint, for one job: the page script's rules (src/content/page/), which run in the page's MAIN
// world before any page script and must never be seen by the page nor be fooled by it.
// Syntax only (no type information), so it stays fast.
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

const PAGE = 'src/content/page/**/*.ts';
const NATIVES = 'src/content/page/natives.ts';

/** Names as one anchored alternation for an esquery attribute regex. */
const names = (list) => `/^(${list.join('|')})$/`;

/** Objects of ours whose methods are captured natives, not the page's: R, S, safe-json's `natives`. */
const OURS = names(['R', 'S', 'natives']);

/** Methods that only exist on the page-patchable prototypes of arrays, strings, promises, functions… */
const PROTOTYPE_METHODS = [
  {
    family: 'an Array.prototype',
    list: ['push', 'pop', 'shift', 'unshift', 'splice', 'slice', 'concat', 'join', 'indexOf', 'lastIndexOf', 'includes', 'map', 'filter', 'forEach', 'reduce', 'reduceRight', 'some', 'every', 'find', 'findIndex', 'findLast', 'findLastIndex', 'flat', 'flatMap', 'fill', 'sort', 'reverse', 'copyWithin', 'keys', 'values', 'entries', 'at', 'toSorted', 'toReversed', 'toSpliced'],
    instead: 'append/put/at/join from natives.ts and index loops',
  },
  {
    family: 'a String.prototype',
    list: ['charAt', 'charCodeAt', 'codePointAt', 'substring', 'substr', 'toLowerCase', 'toUpperCase', 'toLocaleLowerCase', 'toLocaleUpperCase', 'trim', 'trimStart', 'trimEnd', 'split', 'startsWith', 'endsWith', 'replace', 'replaceAll', 'match', 'matchAll', 'search', 'padStart', 'padEnd', 'repeat', 'normalize', 'localeCompare'],
    instead: 'S.* from natives.ts (S.slice, S.indexOf, S.lower, S.split, S.charCodeAt…)',
  },
  {
    family: 'a Promise.prototype',
    list: ['then', 'catch', 'finally'],
    instead: 'R.apply(promiseThen, promise, [onValue, onError])',
  },
  {
    family: 'a Function.prototype',
    list: ['call', 'apply', 'bind'],
    instead: 'R.apply(fn, self, args), or bind() from natives.ts at capture time',
  },
  {
    family: 'an Object.prototype / Number.prototype',
    list: ['toString', 'toLocaleString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toFixed', 'toPrecision', 'toExponential'],
    instead: 'NativeString(primitive), hasOwn from natives.ts, R.apply(captured, self, args)',
  },
  {
    family: 'a RegExp.prototype',
    list: ['exec', 'test'],
    instead: 'reTest/reExec from natives.ts',
  },
];

/** The rules for every file of the page script. */
const pageRules = [
  {
    selector: "BinaryExpression[operator='instanceof']",
    message:
      "Page script: no instanceof. It runs the page's Symbol.hasInstance and Proxy getPrototypeOf traps and reads a global the page may have replaced. Use a native brand check (brand()/getter() from natives.ts).",
  },
  {
    selector: "BinaryExpression[operator='in']",
    message:
      "Page script: no `in`. It walks the prototype chain (the page's Object.prototype, a Proxy's `has` trap). Use hasOwn()/own() from natives.ts.",
  },
  {
    selector: 'ForInStatement',
    message: "Page script: no for…in. It enumerates the page's enumerable keys on Object.prototype. Use R.ownKeys() and an index loop.",
  },
  {
    selector: 'ForOfStatement',
    message:
      "Page script: no for…of. It runs Array.prototype[Symbol.iterator] and %ArrayIteratorPrototype%.next, the page's to replace. Use an index loop.",
  },
  {
    selector: ':matches(ArrayExpression, CallExpression, NewExpression) > SpreadElement',
    message:
      "Page script: no spreading of arrays or iterables. It runs the page's iterator. Copy with an index loop and append(); pass arguments as an array to R.apply()/R.construct(). (Object spread is fine: it reads own properties only.)",
  },
  {
    selector: 'ArrayPattern',
    message: "Page script: no array destructuring. It runs the page's iterator. Read indexes (at(list, i)).",
  },
  {
    selector: ':function[async=true], AwaitExpression',
    message:
      "Page script: no async/await. `await` reads .constructor and `then` off promises (Promise.prototype is the page's) and an async function's result is resolved with a `then` lookup. Use new NativePromise() and R.apply(promiseThen, …).",
  },
  {
    selector: ':function[generator=true], YieldExpression',
    message: "Page script: no generators. Their next/return live on %GeneratorPrototype%, the page's to replace.",
  },
  ...PROTOTYPE_METHODS.map(({ family, list, instead }) => ({
    selector: `CallExpression[callee.type='MemberExpression'][callee.property.name=${names(list)}]:not([callee.object.name=${OURS}])`,
    message: `Page script: ${family} method called on a value: the page may have replaced it, and would see our arguments. Use ${instead}.`,
  })),
  {
    selector: ":function MemberExpression[object.type='MemberExpression'][object.property.name='prototype']",
    message:
      'Page script: a prototype method read at run time is whatever the page has put there by then. Capture it at module level (before any page script runs), as natives.ts does.',
  },
];

/** Language built-ins come from natives.ts, captured before any page script; elsewhere a global read gets the page's replacement. */
const BUILTINS = names(['Object', 'Array', 'Function', 'Promise', 'JSON', 'Reflect', 'Math', 'Number', 'String', 'Symbol', 'RegExp', 'Error', 'Map', 'Set', 'WeakMap', 'WeakSet', 'Proxy', 'Boolean', 'BigInt', 'Date']);
const builtinRules = [
  {
    selector: `MemberExpression[object.type='Identifier'][object.name=${BUILTINS}], :matches(CallExpression, NewExpression)[callee.type='Identifier'][callee.name=${BUILTINS}], Identifier[name='globalThis']`,
    message:
      "Page script: a language built-in (or globalThis) read from the global: the page may have replaced it. Use the references natives.ts took before any page script ran (R, NativeX, ObjectPrototype, globalObject…).",
  },
  {
    selector: "NewExpression[callee.name=/^Native(WeakMap|WeakSet|Map|Set)$/]",
    message: "Page script: a native Map/Set's methods are on the page's prototype. Use SafeWeakMap/SafeWeakSet from natives.ts.",
  },
];

export default defineConfig(
  { ignores: ['dist/**', 'dist-cli/**', 'node_modules/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    // A light base for all of src: typescript-eslint's recommended rules that need no type information.
    extends: [tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-control-regex': 'error',
      // `_name` marks a value left out on purpose (destructuring a record apart).
      '@typescript-eslint/no-unused-vars': ['error', { varsIgnorePattern: '^_', argsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // The page script keeps natives as `Function` on purpose: any callable the page may pass.
    files: [PAGE],
    rules: { '@typescript-eslint/no-unsafe-function-type': 'off' },
  },
  {
    files: [PAGE],
    rules: { 'no-restricted-syntax': ['error', ...pageRules, ...builtinRules] },
  },
  {
    files: [NATIVES],
    rules: { 'no-restricted-syntax': ['error', ...pageRules] },
  },
);
