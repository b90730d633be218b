import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { useRedis } from '#redis/testing';
import { deferred, type Deferred } from '#testing';
import { compareStreamIds, ConsumerGroup, PubSubFeed, StreamConsumer, StreamFeed, type Event, type StreamEntry } from './pubsub-and-streams.ts';

const redis = useRedis();

const placed = (orderId: string): Event => ({ type: 'order.placed', data: { orderId } });
const orderIds = (entries: readonly StreamEntry[]) => entries.map((entry) => entry.event.data.orderId);

/** Appends `order.placed` events for these order ids, in order; resolves to their stream ids. */
async function appendOrders(stream: string, ...ids: string[]): Promise<string[]> {
  const feed = new StreamFeed(redis.client);
  const appended: string[] = [];
  for (const id of ids) appended.push(await feed.append(stream, placed(id)));
  return appended;
}

/** Collects what a subscription receives; `received(n)` resolves once n events have arrived. */
function collector() {
  const events: Event[] = [];
  const waiting: { count: number; arrived: Deferred<void> }[] = [];
  const onEvent = (event: Event) => {
    events.push(event);
    for (const wait of waiting) if (events.length >= wait.count) wait.arrived.resolve();
  };
  const received = (count: number): Promise<void> => {
    const arrived = deferred();
    waiting.push({ count, arrived });
    if (events.length >= count) arrived.resolve();
    return arrived.promise;
  };
  return { events, onEvent, received };
}

/** A handler that records the order ids it handled. */
function recorder() {
  const handled: string[] = [];
  return { handled, handle: (entry: StreamEntry) => void handled.push(entry.event.data.orderId!) };
}

describe('compareStreamIds', () => {
  const sign = { before: -1, same: 0, after: 1 } as const;

  it.each([
    { a: '1-0', order: 'before', b: '2-0' },
    { a: '9-0', order: 'before', b: '10-0' },
    { a: '5-10', order: 'after', b: '5-9' },
    { a: '1700000000000-3', order: 'same', b: '1700000000000-3' },
    { a: '0-0', order: 'before', b: '0-1' },
    { a: '1-99', order: 'before', b: '2-0' },
    { a: '18446744073709551615-0', order: 'after', b: '18446744073709551614-18446744073709551615' },
    { a: '9007199254740993-0', order: 'after', b: '9007199254740992-0' },
  ] as const)('should put $a $order $b: by ms, then by seq, as integers', ({ a, order, b }) => {
    expect(Math.sign(compareStreamIds(a, b))).toBe(sign[order]);
    expect(Math.sign(compareStreamIds(b, a))).toBe(order === 'same' ? 0 : -sign[order]);
  });
});

describe('PubSubFeed', () => {
  it('should deliver an event to a subscriber, and count it in the reply to PUBLISH', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    const subscriber = collector();
    const unsubscribe = await feed.subscribe(channel, subscriber.onEvent);
    expect(await feed.publish(channel, placed('1'))).toBe(1);
    await subscriber.received(1);
    expect(subscriber.events).toEqual([placed('1')]);
    await unsubscribe();
  });

  it('should answer 0 when nobody listens: the event is gone', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    expect(await feed.publish(redis.name('orders'), placed('1'))).toBe(0);
  });

  it('should not deliver what was published before the subscription: a late subscriber misses it', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    expect(await feed.publish(channel, placed('1'))).toBe(0);
    const late = collector();
    const unsubscribe = await feed.subscribe(channel, late.onEvent);
    expect(await feed.publish(channel, placed('2'))).toBe(1);
    await late.received(1);
    // Messages reach a connection in order: had order 1 been kept for it, it would come first.
    expect(late.events).toEqual([placed('2')]);
    await unsubscribe();
  });

  it('should fan out: every subscriber gets every event', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    const [mailer, analytics] = [collector(), collector()];
    const stops = [await feed.subscribe(channel, mailer.onEvent), await feed.subscribe(channel, analytics.onEvent)];
    expect(await feed.publish(channel, placed('1'))).toBe(2);
    expect(await feed.publish(channel, placed('2'))).toBe(2);
    await Promise.all([mailer.received(2), analytics.received(2)]);
    expect(mailer.events).toEqual([placed('1'), placed('2')]);
    expect(analytics.events).toEqual([placed('1'), placed('2')]);
    for (const stop of stops) await stop();
  });

  it('should deliver only the events of its own channel', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const subscriber = collector();
    const unsubscribe = await feed.subscribe(redis.name('orders'), subscriber.onEvent);
    expect(await feed.publish(redis.name('payments'), { type: 'payment.captured', data: {} })).toBe(0);
    await feed.publish(redis.name('orders'), placed('1'));
    await subscriber.received(1);
    expect(subscriber.events).toEqual([placed('1')]);
    await unsubscribe();
  });

  it('should stop delivering once unsubscribed, and unsubscribe only once', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    const subscriber = collector();
    const unsubscribe = await feed.subscribe(channel, subscriber.onEvent);
    await unsubscribe();
    await unsubscribe();
    expect(await feed.publish(channel, placed('1'))).toBe(0);
    expect(subscriber.events).toEqual([]);
  });

  it('should subscribe on a connection of its own: the publishing one stays usable', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    const subscriber = collector();
    const unsubscribe = await feed.subscribe(channel, subscriber.onEvent);
    // A subscribed connection refuses every other command: had subscribe used this one, these fail.
    await redis.client.set('still-usable', 'yes');
    expect(await redis.client.get('still-usable')).toBe('yes');
    expect(await feed.publish(channel, placed('1'))).toBe(1);
    await subscriber.received(1);
    await unsubscribe();
  });
});

describe('StreamFeed', () => {
  describe('append', () => {
    it('should give each entry an id "ms-seq", growing with every append', async () => {
      const ids = await appendOrders('orders', '1', '2', '3');
      for (const id of ids) expect(id).toMatch(/^\d+-\d+$/);
      expect(compareStreamIds(ids[0]!, ids[1]!)).toBeLessThan(0);
      expect(compareStreamIds(ids[1]!, ids[2]!)).toBeLessThan(0);
      expect(await redis.client.xlen('orders')).toBe(3);
    });

    it('should store the type as a field of its own, readable with XRANGE in redis-cli', async () => {
      const [id] = await appendOrders('orders', '42');
      const [[storedId, fields]] = (await redis.client.xrange('orders', '-', '+')) as [[string, string[]]];
      expect(storedId).toBe(id);
      expect(fields.slice(0, 2)).toEqual(['type', 'order.placed']);
    });

    it('should trim to exactly maxLen when asked to be exact, keeping the newest', async () => {
      const feed = new StreamFeed(redis.client);
      for (const id of ['1', '2', '3', '4', '5']) await feed.append('orders', placed(id), { maxLen: 3, exact: true });
      expect(await redis.client.xlen('orders')).toBe(3);
      expect(orderIds(await feed.range('orders'))).toEqual(['3', '4', '5']);
    });

    it('should trim about maxLen by default (MAXLEN ~): whole nodes only, never below maxLen', async () => {
      const feed = new StreamFeed(redis.client);
      const ids = Array.from({ length: 250 }, (_, i) => String(i));
      for (const id of ids) await feed.append('orders', placed(id), { maxLen: 10 });
      const length = await redis.client.xlen('orders');
      // Cheap trimming drops a node of ~100 entries once it can: some trimming, not to exactly 10.
      expect(length).toBeGreaterThan(10);
      expect(length).toBeLessThan(250);
      expect(orderIds(await feed.range('orders'))).toEqual(ids.slice(-length));
    });
  });

  describe('range', () => {
    it('should read the whole stream back in order, with ids and events', async () => {
      const ids = await appendOrders('orders', '1', '2', '3');
      const feed = new StreamFeed(redis.client);
      expect(await feed.range('orders')).toEqual([
        { id: ids[0], event: placed('1') },
        { id: ids[1], event: placed('2') },
        { id: ids[2], event: placed('3') },
      ]);
    });

    it('should page: at most count entries, then the next page after the last id', async () => {
      const ids = await appendOrders('orders', '1', '2', '3', '4', '5');
      const feed = new StreamFeed(redis.client);
      expect(orderIds(await feed.range('orders', { count: 2 }))).toEqual(['1', '2']);
      expect(orderIds(await feed.range('orders', { after: ids[1]!, count: 2 }))).toEqual(['3', '4']);
      expect(orderIds(await feed.range('orders', { after: ids[3]!, count: 2 }))).toEqual(['5']);
      expect(await feed.range('orders', { after: ids[4]!, count: 2 })).toEqual([]);
    });

    it('should read an empty array from a stream that does not exist', async () => {
      expect(await new StreamFeed(redis.client).range('nothing-here')).toEqual([]);
    });
  });

  describe('readAfter', () => {
    it("should read everything after '0-0', and nothing after the last id", async () => {
      const ids = await appendOrders('orders', '1', '2', '3');
      const feed = new StreamFeed(redis.client);
      expect(orderIds(await feed.readAfter('orders', '0-0'))).toEqual(['1', '2', '3']);
      expect(await feed.readAfter('orders', ids[2]!)).toEqual([]);
    });

    it('should read what came after the last id seen, and at most count entries', async () => {
      const ids = await appendOrders('orders', '1', '2', '3', '4');
      const feed = new StreamFeed(redis.client);
      expect(await feed.readAfter('orders', ids[0]!, { count: 2 })).toEqual([
        { id: ids[1], event: placed('2') },
        { id: ids[2], event: placed('3') },
      ]);
    });

    it('should answer at once with an empty array from a stream that does not exist', async () => {
      expect(await new StreamFeed(redis.client).readAfter('nothing-here', '0-0')).toEqual([]);
    });
  });
});

describe('StreamConsumer', () => {
  it('should handle every entry in order on its first poll, and save the last id', async () => {
    const ids = await appendOrders('orders', '1', '2', '3');
    const consumer = new StreamConsumer(redis.client, 'orders', 'mailer');
    const { handled, handle } = recorder();
    expect(await consumer.lastId()).toBeUndefined();
    expect(await consumer.poll(handle)).toBe(3);
    expect(handled).toEqual(['1', '2', '3']);
    expect(await consumer.lastId()).toBe(ids[2]);
    expect(await redis.client.hget('orders:offsets', 'mailer')).toBe(ids[2]);
  });

  it('should handle only what is new on the next poll, and nothing when nothing is', async () => {
    await appendOrders('orders', '1', '2');
    const consumer = new StreamConsumer(redis.client, 'orders', 'mailer');
    const { handled, handle } = recorder();
    await consumer.poll(handle);
    await appendOrders('orders', '3');
    expect(await consumer.poll(handle)).toBe(1);
    expect(await consumer.poll(handle)).toBe(0);
    expect(handled).toEqual(['1', '2', '3']);
  });

  it('should handle at most count entries per poll, and go on from there', async () => {
    await appendOrders('orders', '1', '2', '3', '4', '5');
    const consumer = new StreamConsumer(redis.client, 'orders', 'mailer', { count: 2 });
    const { handled, handle } = recorder();
    expect(await consumer.poll(handle)).toBe(2);
    expect(handled).toEqual(['1', '2']);
    expect(await consumer.poll(handle)).toBe(2);
    expect(await consumer.poll(handle)).toBe(1);
    expect(handled).toEqual(['1', '2', '3', '4', '5']);
  });

  it('should resume after a restart: the same name replays exactly what it missed', async () => {
    await appendOrders('orders', '1', '2');
    const before = recorder();
    await new StreamConsumer(redis.client, 'orders', 'mailer').poll(before.handle);
    // The process stops; orders keep coming.
    await appendOrders('orders', '3', '4');
    const after = recorder();
    await new StreamConsumer(redis.client, 'orders', 'mailer').poll(after.handle);
    expect(before.handled).toEqual(['1', '2']);
    expect(after.handled).toEqual(['3', '4']);
  });

  it('should give a consumer with a new name the whole log: each name keeps its own offset', async () => {
    await appendOrders('orders', '1', '2');
    await new StreamConsumer(redis.client, 'orders', 'mailer').poll(() => {});
    const analytics = recorder();
    await new StreamConsumer(redis.client, 'orders', 'analytics').poll(analytics.handle);
    expect(analytics.handled).toEqual(['1', '2']);
  });

  it('should hand an entry out again when its handler failed: at-least-once', async () => {
    await appendOrders('orders', '1', '2', '3');
    const consumer = new StreamConsumer(redis.client, 'orders', 'mailer');
    const handled: string[] = [];
    const failure = new Error('mail server down');
    const flaky = (entry: StreamEntry) => {
      if (entry.event.data.orderId === '2' && !handled.includes('failed once')) {
        handled.push('failed once');
        throw failure;
      }
      handled.push(entry.event.data.orderId!);
    };
    await expect(consumer.poll(flaky)).rejects.toBe(failure);
    expect(await consumer.poll(flaky)).toBe(2);
    expect(handled).toEqual(['1', 'failed once', '2', '3']);
  });

  it("should start at the end with startAt 'end', and keep its place across restarts", async () => {
    await appendOrders('orders', 'old-1', 'old-2');
    const notifier = () => new StreamConsumer(redis.client, 'orders', 'notifier', { startAt: 'end' });
    const { handled, handle } = recorder();
    expect(await notifier().poll(handle)).toBe(0);
    await appendOrders('orders', '1');
    expect(await notifier().poll(handle)).toBe(1);
    // Down for a while: what arrives meanwhile is read after the restart, not skipped.
    await appendOrders('orders', '2', '3');
    expect(await notifier().poll(handle)).toBe(2);
    expect(handled).toEqual(['1', '2', '3']);
  });

  it("should save where an 'end' consumer starts on its first poll, before it handled anything", async () => {
    const [, newest] = await appendOrders('orders', 'old-1', 'old-2');
    await new StreamConsumer(redis.client, 'orders', 'notifier', { startAt: 'end' }).poll(() => {});
    expect(await redis.client.hget('orders:offsets', 'notifier')).toBe(newest);
    await appendOrders('orders', '1', '2');
    const { handled, handle } = recorder();
    await new StreamConsumer(redis.client, 'orders', 'notifier', { startAt: 'end' }).poll(handle);
    expect(handled).toEqual(['1', '2']);
  });
});

describe('the same feed, two ways', () => {
  it('should lose, with pub/sub, what is published while a subscriber is down', async () => {
    const feed = new PubSubFeed(redis.client, redis.connect);
    const channel = redis.name('orders');
    const first = collector();
    const stop = await feed.subscribe(channel, first.onEvent);
    await feed.publish(channel, placed('1'));
    await first.received(1);
    await stop();
    // Down: nobody hears these two, and Redis keeps nothing.
    expect(await feed.publish(channel, placed('2'))).toBe(0);
    expect(await feed.publish(channel, placed('3'))).toBe(0);
    const second = collector();
    const stopAgain = await feed.subscribe(channel, second.onEvent);
    await feed.publish(channel, placed('4'));
    await second.received(1);
    expect([...first.events, ...second.events]).toEqual([placed('1'), placed('4')]);
    await stopAgain();
  });

  it('should keep, with a stream, what is appended while a consumer is down', async () => {
    const feed = new StreamFeed(redis.client);
    const { handled, handle } = recorder();
    await feed.append('orders', placed('1'));
    await new StreamConsumer(redis.client, 'orders', 'mailer').poll(handle);
    await feed.append('orders', placed('2'));
    await feed.append('orders', placed('3'));
    await feed.append('orders', placed('4'));
    await new StreamConsumer(redis.client, 'orders', 'mailer').poll(handle);
    expect(handled).toEqual(['1', '2', '3', '4']);
  });
});

describe('bad input', () => {
  it.each(['10', '1-2-3', 'a-b', '-1-0', '1-', '', '18446744073709551616-0', '0-18446744073709551616'])(
    'should refuse the id %j with a RangeError',
    (id) => {
      expect(() => compareStreamIds(id, '1-0')).toThrow(RangeError);
      expect(() => compareStreamIds('1-0', id)).toThrow(RangeError);
    },
  );

  it.each([
    { what: 'an empty type', event: { type: '', data: {} } },
    { what: 'no data', event: { type: 'order.placed' } },
    { what: 'a number in data', event: { type: 'order.placed', data: { total: 42 } } },
    { what: 'no event at all', event: null },
  ])('should refuse an event with $what with a TypeError', async ({ event }) => {
    const bad = event as unknown as Event;
    await expect(new StreamFeed(redis.client).append('orders', bad)).rejects.toThrow(TypeError);
    await expect(new PubSubFeed(redis.client, redis.connect).publish(redis.name('orders'), bad)).rejects.toThrow(TypeError);
    expect(await redis.client.exists('orders')).toBe(0);
  });

  it('should refuse empty stream and channel names with a RangeError', async () => {
    await expect(new StreamFeed(redis.client).append('', placed('1'))).rejects.toThrow(RangeError);
    await expect(new StreamFeed(redis.client).range('')).rejects.toThrow(RangeError);
    await expect(new PubSubFeed(redis.client, redis.connect).publish('', placed('1'))).rejects.toThrow(RangeError);
    expect(() => new StreamConsumer(redis.client, '', 'mailer')).toThrow(RangeError);
    expect(() => new StreamConsumer(redis.client, 'orders', '')).toThrow(RangeError);
    expect(() => new ConsumerGroup(redis.client, 'orders', '')).toThrow(RangeError);
  });

  it.each([0, -1, 2.5, Number.NaN])('should refuse a count or maxLen of %s with a RangeError naming it', async (bad) => {
    const feed = new StreamFeed(redis.client);
    const maxLenError = await feed.append('orders', placed('1'), { maxLen: bad }).catch((err: unknown) => err);
    expect(maxLenError).toBeInstanceOf(RangeError);
    expect((maxLenError as RangeError).message).toContain('maxLen');
    const countError = await feed.readAfter('orders', '0-0', { count: bad }).catch((err: unknown) => err);
    expect(countError).toBeInstanceOf(RangeError);
    expect((countError as RangeError).message).toContain('count');
    await expect(feed.range('orders', { count: bad })).rejects.toThrow(RangeError);
    expect(() => new StreamConsumer(redis.client, 'orders', 'mailer', { count: bad })).toThrow(RangeError);
    expect(await redis.client.exists('orders')).toBe(0);
  });

  it.each(['$', '>', 'latest', '12'])('should refuse %j as the id to read after, with a RangeError', async (id) => {
    const feed = new StreamFeed(redis.client);
    await expect(feed.readAfter('orders', id)).rejects.toThrow(RangeError);
    await expect(feed.range('orders', { after: id })).rejects.toThrow(RangeError);
  });

  it('should refuse a startAt other than start or end, a negative minIdleMs, a connectSubscriber that is no function', async () => {
    expect(() => new StreamConsumer(redis.client, 'orders', 'mailer', { startAt: 'middle' as 'end' })).toThrow(RangeError);
    await expect(new ConsumerGroup(redis.client, 'orders', 'workers').claimStuck('bob', -1)).rejects.toThrow(RangeError);
    expect(() => new PubSubFeed(redis.client, 'redis://' as unknown as () => Promise<never>)).toThrow(TypeError);
  });
});

describe('properties', () => {
  const MAX = (1n << 64n) - 1n;
  // Small parts collide often (equal ms, equal seq); large ones test the 64-bit range.
  const idPart = fc.oneof(fc.bigInt({ min: 0n, max: 12n }), fc.bigInt({ min: 0n, max: MAX }));
  const idParts = fc.tuple(idPart, idPart);
  const orderOf = ([aMs, aSeq]: [bigint, bigint], [bMs, bSeq]: [bigint, bigint]) =>
    aMs !== bMs ? (aMs < bMs ? -1 : 1) : aSeq !== bSeq ? (aSeq < bSeq ? -1 : 1) : 0;

  it('should make compareStreamIds a total order that agrees with (ms, seq)', () => {
    fc.assert(
      fc.property(idParts, idParts, (a, b) => {
        const [idA, idB] = [`${a[0]}-${a[1]}`, `${b[0]}-${b[1]}`];
        expect(Math.sign(compareStreamIds(idA, idB))).toBe(orderOf(a, b));
        expect(Math.sign(compareStreamIds(idB, idA))).toBe(orderOf(b, a));
        expect(compareStreamIds(idA, idA)).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('should sort any ids as Redis orders them', () => {
    fc.assert(
      fc.property(fc.array(idParts, { maxLength: 20 }), (parts) => {
        const sorted = parts.map(([ms, seq]) => `${ms}-${seq}`).sort(compareStreamIds);
        const expected = [...parts].sort(orderOf).map(([ms, seq]) => `${ms}-${seq}`);
        expect(sorted).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  const anyEvent = fc.record({ type: fc.string({ minLength: 1, maxLength: 12 }), data: fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 4 }) });

  it('should give back any event as it was appended', async () => {
    const feed = new StreamFeed(redis.client);
    let last = '0-0';
    await fc.assert(
      fc.asyncProperty(anyEvent, async (event) => {
        const id = await feed.append('round-trip', event);
        expect(await feed.readAfter('round-trip', last)).toEqual([{ id, event }]);
        last = id;
      }),
      { numRuns: 40 },
    );
  });

  it('should yield every appended event exactly once, in order, whatever the page size', async () => {
    const feed = new StreamFeed(redis.client);
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(anyEvent, { maxLength: 12 }), fc.integer({ min: 1, max: 5 }), fc.constantFrom('range', 'readAfter'), async (events, count, how) => {
        const stream = `paging-${++run}`;
        const ids: string[] = [];
        for (const event of events) ids.push(await feed.append(stream, event));
        const pages: StreamEntry[][] = [];
        let after = '0-0';
        // Bounded, so that a reader that never moves on fails instead of looping.
        for (let guard = 0; guard <= events.length + 1; guard++) {
          const page = how === 'range' ? await feed.range(stream, pages.length === 0 ? { count } : { after, count }) : await feed.readAfter(stream, after, { count });
          pages.push(page);
          if (page.length < count) break;
          after = page.at(-1)!.id;
        }
        const read = pages.flat();
        expect(read.map((entry) => entry.id)).toEqual(ids);
        expect(read.map((entry) => entry.event)).toEqual(events);
        // Full pages until the last, which is shorter (maybe empty).
        expect(pages.slice(0, -1).every((page) => page.length === count)).toBe(true);
        expect(pages.at(-1)!.length).toBeLessThan(count);
      }),
      { numRuns: 30 },
    );
  });

  type Step = { kind: 'append' } | { kind: 'poll'; failAt: number | undefined } | { kind: 'restart' };
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.constant({ kind: 'append' as const }),
    fc.record({ kind: fc.constant('poll' as const), failAt: fc.option(fc.nat(3), { nil: undefined }) }),
    fc.constant({ kind: 'restart' as const }),
  );

  it('should handle every event exactly once, in order, across polls, failed handlers and restarts', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(step, { maxLength: 16 }), fc.integer({ min: 1, max: 4 }), async (steps, count) => {
        const stream = `consumer-${++run}`;
        const open = () => new StreamConsumer(redis.client, stream, 'worker', { count });
        let consumer = open();
        const appended: string[] = [];
        const handled: string[] = [];
        for (const current of steps) {
          if (current.kind === 'append') appended.push(...(await appendOrders(stream, String(appended.length))));
          if (current.kind === 'restart') consumer = open();
          if (current.kind === 'poll') {
            let calls = 0;
            const handle = (entry: StreamEntry) => {
              if (calls++ === current.failAt) throw new Error('handler failed');
              handled.push(entry.id);
            };
            await consumer.poll(handle).catch((err: unknown) => expect(err).toEqual(new Error('handler failed')));
          }
        }
        // Drain what is left; bounded, so that a consumer that never moves on fails.
        for (let guard = 0; guard <= appended.length; guard++) {
          if ((await consumer.poll((entry) => void handled.push(entry.id))) === 0) break;
        }
        expect(handled).toEqual(appended);
      }),
      { numRuns: 30 },
    );
  });
});

describe('ConsumerGroup', () => {
  const group = () => new ConsumerGroup(redis.client, 'orders', 'workers');
  const idsOf = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);

  it('should create the group and the stream, and leave an existing group alone', async () => {
    expect(await group().create()).toBe(true);
    expect(await redis.client.exists('orders')).toBe(1);
    expect(await group().create()).toBe(false);
    expect(await group().create('end')).toBe(false);
  });

  it('should share the work: each new entry goes to one consumer of the group', async () => {
    await group().create();
    await appendOrders('orders', '1', '2', '3', '4', '5');
    expect(orderIds(await group().read('alice', { count: 2 }))).toEqual(['1', '2']);
    expect(orderIds(await group().read('bob', { count: 2 }))).toEqual(['3', '4']);
    expect(orderIds(await group().read('alice', { count: 2 }))).toEqual(['5']);
    expect(await group().read('bob')).toEqual([]);
  });

  it('should let another group read the same entries: groups are independent', async () => {
    await appendOrders('orders', '1', '2');
    await group().create();
    const billing = new ConsumerGroup(redis.client, 'orders', 'billing');
    await billing.create();
    expect(orderIds(await group().read('alice'))).toEqual(['1', '2']);
    expect(orderIds(await billing.read('carol'))).toEqual(['1', '2']);
  });

  it("should start at the end with create('end'): only what comes next", async () => {
    await appendOrders('orders', 'old');
    await group().create('end');
    await appendOrders('orders', 'new');
    expect(orderIds(await group().read('alice'))).toEqual(['new']);
  });

  it('should keep what was read pending until acknowledged', async () => {
    await group().create();
    const ids = await appendOrders('orders', '1', '2', '3');
    await group().read('alice', { count: 2 });
    await group().read('bob', { count: 1 });
    expect(await group().pending()).toEqual([
      { id: ids[0], consumer: 'alice', idleMs: expect.any(Number), deliveries: 1 },
      { id: ids[1], consumer: 'alice', idleMs: expect.any(Number), deliveries: 1 },
      { id: ids[2], consumer: 'bob', idleMs: expect.any(Number), deliveries: 1 },
    ]);
    expect(await group().ack([ids[0]!, ids[2]!])).toBe(2);
    expect(idsOf(await group().pending())).toEqual([ids[1]]);
    expect(await group().ack([ids[0]!])).toBe(0);
    expect(await group().ack([])).toBe(0);
  });

  it('should give a restarted consumer its own unacknowledged entries back, and only those', async () => {
    await group().create();
    const ids = await appendOrders('orders', '1', '2', '3');
    await group().read('alice', { count: 2 });
    await group().ack([ids[0]!]);
    // alice restarts under the same name: first what she held, then what is new.
    expect(idsOf(await group().recover('alice'))).toEqual([ids[1]]);
    expect(await group().recover('bob')).toEqual([]);
    expect(idsOf(await group().read('alice'))).toEqual([ids[2]]);
  });

  it('should acknowledge, on recover, held entries that were trimmed from the stream meanwhile', async () => {
    await group().create();
    const ids = await appendOrders('orders', '1', '2');
    await group().read('alice');
    await redis.client.xtrim('orders', 'MAXLEN', 1);
    // Entry 1 is gone: nobody can handle it any more, and it must not stay pending for ever.
    expect(idsOf(await group().recover('alice'))).toEqual([ids[1]]);
    expect(idsOf(await group().pending())).toEqual([ids[1]]);
  });

  it('should let a live consumer claim the entries of one that died, counting the delivery', async () => {
    await group().create();
    const ids = await appendOrders('orders', '1', '2', '3');
    await group().read('alice', { count: 2 });
    // alice dies holding 1 and 2. A min idle of 0 ms claims them at once, without waiting.
    const claimed = await group().claimStuck('bob', 0);
    expect(claimed).toEqual([
      { id: ids[0], event: placed('1') },
      { id: ids[1], event: placed('2') },
    ]);
    expect((await group().pending()).map(({ consumer, deliveries }) => ({ consumer, deliveries }))).toEqual([
      { consumer: 'bob', deliveries: 2 },
      { consumer: 'bob', deliveries: 2 },
    ]);
    await group().ack(idsOf(claimed));
    expect(await group().pending()).toEqual([]);
    expect(orderIds(await group().read('bob'))).toEqual(['3']);
  });

  it('should not claim entries idle for less than minIdleMs: their consumer may still be at work', async () => {
    await group().create();
    await appendOrders('orders', '1', '2');
    await group().read('alice');
    expect(await group().claimStuck('bob', 60_000)).toEqual([]);
    expect((await group().pending()).map((entry) => entry.consumer)).toEqual(['alice', 'alice']);
  });

  it('should claim at most count entries at a time', async () => {
    await group().create();
    const ids = await appendOrders('orders', '1', '2', '3');
    await group().read('alice');
    expect(idsOf(await group().claimStuck('bob', 0, { count: 2 }))).toEqual(ids.slice(0, 2));
    expect((await group().pending()).map((entry) => entry.consumer)).toEqual(['bob', 'bob', 'alice']);
  });
});
