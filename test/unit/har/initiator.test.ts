import { describe, expect, it } from 'vitest';
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
