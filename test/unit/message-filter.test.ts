import { describe, expect, it } from 'vitest';
import { createMessageFilter } from '../../src/shared/message-filter';
import type { Message } from '../../src/shared/model';

const msg = (data: string, eventName?: string): Message => ({ t: 0, dir: 'receive', data: { encoding: 'text', data, size: data.length, truncated: false }, eventName });

describe('message filter', () => {
  it('matches payloads and event names case-insensitively, literally, and extends as messages arrive', () => {
    const f = createMessageFilter();
    const list = [msg('{"price":1}'), msg('hello'), msg('x', 'Price'), msg('a.b')];
    expect(f.matches(list, '')).toBeUndefined();
    expect(f.matches(list, 'PRICE')?.indexes).toEqual([0, 2]);
    list.push(msg('price again'), msg('nothing'));
    expect(f.matches(list, 'PRICE')).toEqual({ indexes: [0, 2, 4], seen: 6 });
    expect(f.matches(list, '.')?.indexes).toEqual([3]);
    expect(f.matches([msg('other price')], 'price')?.indexes).toEqual([0]);
  });
});

describe('message filter, typing on', () => {
  it('narrows from the previous matches and still takes messages that arrive after', () => {
    const f = createMessageFilter();
    const list = [msg('alpha'), msg('alps'), msg('beta'), msg('ALPHABET')];
    expect(f.matches(list, 'al')?.indexes).toEqual([0, 1, 3]);
    list.push(msg('alphorn'));
    expect(f.matches(list, 'alph')?.indexes).toEqual([0, 3, 4]);
    expect(f.matches(list, 'alpha')?.indexes).toEqual([0, 3]);
    expect(f.matches(list, 'bet')?.indexes).toEqual([2, 3]);
  });
});

describe('message filter, by direction', () => {
  it('shows only sent or received messages, with or without text, and extends as they arrive', () => {
    const f = createMessageFilter();
    const sent = (data: string): Message => ({ ...msg(data), dir: 'send' });
    const list = [sent('ping'), msg('pong'), sent('sub price'), msg('price 1')];
    expect(f.matches(list, '', 'all')).toBeUndefined();
    expect(f.matches(list, '', 'send')?.indexes).toEqual([0, 2]);
    expect(f.matches(list, 'price', 'send')?.indexes).toEqual([2]);
    expect(f.matches(list, 'price', 'receive')?.indexes).toEqual([3]);
    // Typing on while the direction changed: recomputed, not narrowed from the other direction.
    expect(f.matches(list, 'price', 'all')?.indexes).toEqual([2, 3]);
    list.push(sent('price 2'));
    expect(f.matches(list, 'price', 'send')?.indexes).toEqual([2, 4]);
  });
});
