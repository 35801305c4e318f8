import { describe, expect, it } from 'vitest';
import { createSampleInbox } from './sample-inbox.ts';

const s = (value: number) => ({ metric: 'm', value, ts: 1 });

describe('the sample inbox', () => {
  it('hands out what waits, oldest first, and drops the oldest beyond its bound', () => {
    const inbox = createSampleInbox(3);
    inbox.push([s(1), s(2)]);
    inbox.push([s(3), s(4)]);
    expect(inbox.take().map((x) => x.value)).toEqual([2, 3, 4]);
    expect(inbox.take()).toEqual([]);
    expect(inbox.dropped()).toBe(1);
  });
});
