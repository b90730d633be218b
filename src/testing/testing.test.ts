import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arbitraryRequestShape, deferred, expectProblem, flush, ManualClock, outcome, scriptedRandom, seededRandom, toRequest, track, zipfSampler } from './index.ts';

describe('ManualClock', () => {
  it('should start where told and move only when told', () => {
    const clock = new ManualClock(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(250).advance(0);
    expect(clock.now()).toBe(1_250);
    clock.set(10);
    expect(clock.now()).toBe(10);
    expect(new ManualClock().now()).toBe(0);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('should refuse to advance by %s', (ms) => {
    expect(() => new ManualClock().advance(ms)).toThrow(RangeError);
  });

  it('should refuse a non-finite time', () => {
    expect(() => new ManualClock().set(Number.NaN)).toThrow(RangeError);
  });
});

describe('seededRandom', () => {
  it('should replay the same sequence for the same seed', () => {
    const a = seededRandom(42);
    const b = seededRandom(42);
    const c = seededRandom(43);
    const first = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(first);
    expect(Array.from({ length: 5 }, c)).not.toEqual(first);
  });

  it('should stay within [0, 1) and spread evenly', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const random = seededRandom(seed);
        const buckets = [0, 0, 0, 0];
        for (let i = 0; i < 400; i++) {
          const value = random();
          expect(value >= 0 && value < 1).toBe(true);
          buckets[Math.floor(value * 4)]!++;
        }
        for (const count of buckets) expect(count).toBeGreaterThan(50);
      }),
      { numRuns: 20 },
    );
  });
});

describe('scriptedRandom', () => {
  it('should replay its values, then repeat the last', () => {
    const random = scriptedRandom([0.1, 0.9]);
    expect([random(), random(), random()]).toEqual([0.1, 0.9, 0.9]);
  });

  it.each([[[]], [[1]], [[-0.5]]])('should reject %j', (values) => {
    expect(() => scriptedRandom(values)).toThrow(RangeError);
  });
});

describe('zipfSampler', () => {
  it('should favour low ranks in proportion to 1 / k^s', () => {
    const sample = zipfSampler(100, 1, seededRandom(7));
    const counts = new Array<number>(101).fill(0);
    for (let i = 0; i < 20_000; i++) counts[sample()]!++;
    // With s = 1, rank 1 comes up twice as often as rank 2 and ten times as often as rank 10.
    expect(counts[1]! / counts[2]!).toBeGreaterThan(1.7);
    expect(counts[1]! / counts[2]!).toBeLessThan(2.3);
    expect(counts[1]! / counts[10]!).toBeGreaterThan(7);
  });

  it('should stay within [1, n] and be uniform at s = 0', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer(), (n, seed) => {
        const sample = zipfSampler(n, 0, seededRandom(seed));
        for (let i = 0; i < 50; i++) {
          const rank = sample();
          expect(Number.isInteger(rank) && rank >= 1 && rank <= n).toBe(true);
        }
      }),
    );
  });

  it.each([{ n: 0, s: 1 }, { n: 1.5, s: 1 }, { n: 10, s: -1 }, { n: 10, s: Number.NaN }])('should reject n = $n, s = $s', ({ n, s }) => {
    expect(() => zipfSampler(n, s, Math.random)).toThrow(RangeError);
  });
});

describe('deferred, track and outcome', () => {
  it('should hold a promise until the test settles it, and show where it stands', async () => {
    const held = deferred<number>();
    const tracked = track(held.promise);
    await flush();
    expect(tracked).toEqual({ state: 'pending' });
    held.resolve(42);
    await flush();
    expect(tracked).toEqual({ state: 'fulfilled', value: 42 });
  });

  it('should report a rejection with its error, and pending work as pending', async () => {
    const failed = deferred();
    failed.reject(new Error('boom'));
    expect(await outcome(failed.promise)).toEqual({ state: 'rejected', error: new Error('boom') });
    expect(await outcome(new Promise(() => {}))).toEqual({ state: 'pending' });
  });
});

describe('arbitrary requests', () => {
  it('should always build a valid web Request', () => {
    fc.assert(
      fc.property(arbitraryRequestShape(['/', '/api/trips']), (shape) => {
        const request = toRequest(shape);
        expect(request.method).toBe(shape.method);
        expect(new URL(request.url).host).toBe('localhost');
      }),
    );
  });
});

describe('expectProblem', () => {
  const answer = (body: object, type = 'application/problem+json') => new Response(JSON.stringify(body), { status: 404, headers: { 'content-type': type } });
  const notFound = { type: 'about:blank', title: 'Not Found', status: 404, detail: 'No trip t1.' };

  it('should return the body of a problem answer with the status, its standard title and a detail', async () => {
    expect(await expectProblem(answer({ ...notFound, id: 't1' }), 404, { id: 't1' })).toMatchObject({ id: 't1' });
  });

  it('should fail on another title, a missing detail, a plain JSON answer or a missing member', async () => {
    await expect(expectProblem(answer({ ...notFound, title: 'Nope' }), 404)).rejects.toThrow();
    await expect(expectProblem(answer({ ...notFound, detail: undefined }), 404)).rejects.toThrow();
    await expect(expectProblem(answer(notFound, 'application/json'), 404)).rejects.toThrow();
    await expect(expectProblem(answer(notFound), 404, { id: 't1' })).rejects.toThrow();
  });
});
