import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scaled } from '../../helpers/time';
import { callFrames, firstCallFrame } from '../../../src/shared/har/initiator';

describe('firstCallFrame', () => {
  const stacks = [
    'Error\n    at load (http://a.test/app.js:10:5)\n    at http://a.test/main.js:3:1',
    'load@http://a.test/app.js:10:5\n@http://a.test/main.js:3:1\n',
    'Error\n    at http://a.test/x.js?v=1:7:9',
    'no frames here',
    '',
    '\n\n    at f (http://a.test/late.js:1:2)',
  ];
  it('is the first of callFrames, reading no further', () => {
    for (const stack of stacks) expect(firstCallFrame(stack)).toEqual(callFrames(stack)[0]);
    expect(firstCallFrame(stacks[0])).toEqual({ functionName: 'load', url: 'http://a.test/app.js', lineNumber: 9, columnNumber: 4 });
    expect(callFrames(stacks[0])).toHaveLength(2);
  });
});

describe('callFrames on hostile stacks', () => {
  // The anchored expressions frames were read with before: the same frames, in quadratic time.
  const V8_FRAME = /^\s*at (?:(.*?) \()?(.*?):(\d+):(\d+)\)?\s*$/;
  const GECKO_FRAME = /^(.*?)@(.*?):(\d+):(\d+)\s*$/;
  const byExpression = (stack: string) =>
    stack.split('\n').flatMap((line) => {
      const m = V8_FRAME.exec(line) ?? GECKO_FRAME.exec(line);
      return m ? [{ functionName: m[1] ?? '', url: m[2], lineNumber: Number(m[3]) - 1, columnNumber: Number(m[4]) - 1 }] : [];
    });

  it('reads every line as the anchored expressions do', () => {
    const piece = fc.constantFrom(' ', '(', ')', ':', '1', '23', '@', 'at ', ' (', 'a', '\r', '\u2028', '\t', '\n', 'x.js');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), (pieces) => {
        const stack = pieces.join('');
        expect(callFrames(stack)).toEqual(byExpression(stack));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes linear time on a line of 180 KB that is no frame', () => {
    // `_netlens.initiator` or `_initiator` of an imported HAR: the list's Initiator column reads it per row drawn.
    for (const line of ['at ' + 'a ('.repeat(60_000), 'a@'.repeat(90_000), ' at f (' + ':1'.repeat(90_000) + ':x']) {
      const t0 = performance.now();
      expect(firstCallFrame(line)).toBeUndefined();
      expect(performance.now() - t0).toBeLessThan(scaled(500));
    }
  });
});
