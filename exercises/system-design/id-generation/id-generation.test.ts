import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '#testing';
import {
  AliasTakenError,
  ClockMovedBackwardsError,
  decode,
  fromBase62,
  SequenceExhaustedError,
  Snowflake,
  toBase62,
  TWITTER_EPOCH,
  UrlShortener,
  type Clock,
} from './id-generation.ts';

/** A clock that reads `at` for its first `reads` reads, then one millisecond later. */
const stuckFor = (at: number, reads: number): Clock => {
  let count = 0;
  return { now: () => (count++ < reads ? at : at + 1) };
};

/** A counter from `start`, as an id source for the shortener. */
const counterFrom = (start: bigint): (() => bigint) => {
  let next = start;
  return () => next++;
};

/** `expect(actual).toEqual(expected)` without the matcher's cost when they are equal: for loops. */
const expectEqual = (actual: unknown, expected: unknown): void => {
  if (!isDeepStrictEqual(actual, expected)) expect(actual).toEqual(expected);
};

/** What `fn` throws, or `undefined`. */
const thrownBy = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err: unknown) {
    return err;
  }
  return undefined;
};

const JAN_1_2024 = Date.UTC(2024, 0, 1); // 1704067200000

describe('Snowflake', () => {
  describe('layout', () => {
    it('should pack time, datacenter, worker and sequence into one bigint', () => {
      // (1000 << 22) | (3 << 17) | (5 << 12) | 0
      const generator = new Snowflake({ datacenterId: 3, workerId: 5, clock: new ManualClock(TWITTER_EPOCH + 1000) });
      expect(generator.nextId()).toBe(4_194_717_696n);
    });

    it('should count milliseconds from the Twitter epoch, in the top 41 bits', () => {
      // 2024-01-01 is 415232225343 ms after the epoch: 415232225343 << 22 = 1741610183685046272
      const generator = new Snowflake({ datacenterId: 31, workerId: 0, clock: new ManualClock(JAN_1_2024) });
      expect(generator.nextId()).toBe(1_741_610_183_689_109_504n); // plus 31 << 17
      const other = new Snowflake({ datacenterId: 0, workerId: 31, clock: new ManualClock(JAN_1_2024) });
      expect(other.nextId()).toBe(1_741_610_183_685_173_248n); // plus 31 << 12
    });

    it('should count from a custom epoch', () => {
      const epoch = 1_700_000_000_000;
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock: new ManualClock(epoch + 500), epoch });
      expect(generator.nextId()).toBe(500n << 22n);
    });
  });

  describe('nextId', () => {
    it('should count the sequence up within one millisecond', () => {
      const generator = new Snowflake({ datacenterId: 0, workerId: 1, clock: new ManualClock(TWITTER_EPOCH + 1000) });
      const base = (1000n << 22n) | (1n << 12n);
      expect([generator.nextId(), generator.nextId(), generator.nextId()]).toEqual([base, base + 1n, base + 2n]);
    });

    it('should start the sequence again at 0 in a new millisecond', () => {
      const clock = new ManualClock(TWITTER_EPOCH + 1000);
      const generator = new Snowflake({ datacenterId: 0, workerId: 1, clock });
      generator.nextId();
      generator.nextId();
      clock.advance(1);
      expect(generator.nextId()).toBe((1001n << 22n) | (1n << 12n));
    });

    it('should wait for the next millisecond after 4096 ids in one, instead of repeating an id', () => {
      const at = TWITTER_EPOCH + 1000;
      // 4096 ids read `at` once each; the 4097th reads it once more, then waits 3 more reads.
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock: stuckFor(at, 4096 + 1 + 3) });
      const ids = Array.from({ length: 4097 }, () => generator.nextId());
      expect(decode(ids[4095]!)).toEqual({ timestamp: at, datacenterId: 0, workerId: 0, sequence: 4095 });
      expect(decode(ids[4096]!)).toEqual({ timestamp: at + 1, datacenterId: 0, workerId: 0, sequence: 0 });
      expect(new Set(ids).size).toBe(4097);
    });

    it('should refuse to issue ids while the clock is behind, saying by how much', () => {
      const clock = new ManualClock(TWITTER_EPOCH + 1000);
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock });
      const first = generator.nextId();
      clock.set(TWITTER_EPOCH + 995); // an NTP step back
      const error = thrownBy(() => generator.nextId());
      expect(error).toBeInstanceOf(ClockMovedBackwardsError);
      expect(error).toMatchObject({ offsetMs: 5 });
      clock.set(TWITTER_EPOCH + 1000); // caught up: the same millisecond goes on where it left off
      expect(generator.nextId()).toBe(first + 1n);
    });

    it('should give up with SequenceExhaustedError when the clock never reaches the next millisecond', () => {
      const clock = new ManualClock(TWITTER_EPOCH + 1000);
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock, maxSpins: 10 });
      for (let i = 0; i < 4096; i++) generator.nextId();
      expect(() => generator.nextId()).toThrow(SequenceExhaustedError);
      expect(() => generator.nextId()).toThrow(SequenceExhaustedError); // still no duplicate
      clock.advance(1);
      expect(generator.nextId()).toBe(1001n << 22n);
    });

    it('should ignore fractions of a millisecond', () => {
      const clock = new ManualClock(TWITTER_EPOCH + 1000.25);
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock });
      generator.nextId();
      clock.advance(0.5);
      expect(generator.nextId()).toBe((1000n << 22n) | 1n);
    });
  });

  describe('bad input', () => {
    it('should reject a datacenterId or workerId outside 0 to 31, naming it', () => {
      const clock = new ManualClock(TWITTER_EPOCH);
      for (const id of [-1, 32, 1.5, Number.NaN]) {
        expect(() => new Snowflake({ datacenterId: id, workerId: 0, clock }), `${id}`).toThrow(RangeError);
        expect(() => new Snowflake({ datacenterId: id, workerId: 0, clock }), `${id}`).toThrow(/datacenterId/);
        expect(() => new Snowflake({ datacenterId: 0, workerId: id, clock }), `${id}`).toThrow(/workerId/);
      }
    });

    it('should reject a bad epoch or maxSpins, naming it', () => {
      const clock = new ManualClock(TWITTER_EPOCH);
      for (const epoch of [-1, 1.5, Number.NaN]) {
        expect(() => new Snowflake({ datacenterId: 0, workerId: 0, clock, epoch }), `${epoch}`).toThrow(RangeError);
        expect(() => new Snowflake({ datacenterId: 0, workerId: 0, clock, epoch }), `${epoch}`).toThrow(/epoch/);
      }
      for (const maxSpins of [0, -1, 2.5]) {
        expect(() => new Snowflake({ datacenterId: 0, workerId: 0, clock, maxSpins }), `${maxSpins}`).toThrow(RangeError);
        expect(() => new Snowflake({ datacenterId: 0, workerId: 0, clock, maxSpins }), `${maxSpins}`).toThrow(/maxSpins/);
      }
    });

    it('should refuse a clock before the epoch, or past the 41 bits of time', () => {
      const clock = new ManualClock(TWITTER_EPOCH - 1);
      const generator = new Snowflake({ datacenterId: 0, workerId: 0, clock });
      expect(() => generator.nextId()).toThrow(RangeError);
      clock.set(TWITTER_EPOCH + 2 ** 41);
      expect(() => generator.nextId()).toThrow(RangeError);
      clock.set(TWITTER_EPOCH + 2 ** 41 - 1); // the last millisecond that fits, in July 2080
      expect(generator.nextId()).toBe((2n ** 41n - 1n) << 22n);
    });
  });
});

describe('decode', () => {
  it('should take an id apart into its fields', () => {
    expect(decode(4_194_717_696n)).toEqual({ timestamp: TWITTER_EPOCH + 1000, datacenterId: 3, workerId: 5, sequence: 0 });
    expect(decode(1_741_610_183_685_173_255n)).toEqual({ timestamp: JAN_1_2024, datacenterId: 0, workerId: 31, sequence: 7 });
  });

  it('should read the time against a custom epoch', () => {
    expect(decode(500n << 22n, 1_700_000_000_000).timestamp).toBe(1_700_000_000_500);
  });

  it('should reject an id that no Snowflake can be: negative, or 2^63 and above', () => {
    expect(() => decode(-1n)).toThrow(RangeError);
    expect(() => decode(2n ** 63n)).toThrow(RangeError);
  });
});

describe('base62', () => {
  it.each([
    { n: 0n, text: '0' },
    { n: 9n, text: '9' },
    { n: 10n, text: 'A' },
    { n: 35n, text: 'Z' },
    { n: 36n, text: 'a' },
    { n: 61n, text: 'z' },
    { n: 62n, text: '10' },
    { n: 3843n, text: 'zz' },
    { n: 3844n, text: '100' },
    { n: 2n ** 63n - 1n, text: 'AzL8n0Y58m7' }, // the largest Snowflake id: 11 characters
    { n: 1_741_610_183_689_109_504n, text: '24ealwjR2Ia' },
  ])('should write $n as $text and read it back', ({ n, text }) => {
    expect(toBase62(n)).toBe(text);
    expect(fromBase62(text)).toBe(n);
  });

  it('should read leading zeros', () => {
    expect(fromBase62('007')).toBe(7n);
  });

  it('should reject a negative number', () => {
    expect(() => toBase62(-1n)).toThrow(RangeError);
  });

  it('should reject empty text or any character outside 0-9A-Za-z, naming the text', () => {
    for (const text of ['', 'ab-c', 'a b', 'é', '+1']) {
      expect(() => fromBase62(text), JSON.stringify(text)).toThrow(RangeError);
      expect(() => fromBase62(text), JSON.stringify(text)).toThrow(/text/);
    }
  });
});

describe('UrlShortener', () => {
  describe('shorten and resolve', () => {
    it('should give a short code that resolves to the URL', () => {
      const shortener = new UrlShortener();
      expect(shortener.shorten('https://example.com/trips/42')).toBe('1');
      expect(shortener.resolve('1')).toBe('https://example.com/trips/42');
    });

    it('should write each id of its source in base62', () => {
      const shortener = new UrlShortener({ nextId: counterFrom(61n) });
      expect(shortener.shorten('https://example.com/a')).toBe('z');
      expect(shortener.shorten('https://example.com/b')).toBe('10');
    });

    it('should give the same URL the same code, and different URLs different codes', () => {
      const shortener = new UrlShortener();
      const code = shortener.shorten('https://example.com/a');
      expect(shortener.shorten('https://example.com/b')).not.toBe(code);
      expect(shortener.shorten('https://example.com/a')).toBe(code);
    });

    it('should treat two spellings of one URL as the same URL', () => {
      const shortener = new UrlShortener();
      const code = shortener.shorten('HTTPS://Example.COM');
      expect(shortener.shorten('https://example.com/')).toBe(code);
      expect(shortener.resolve(code)).toBe('https://example.com/');
    });

    it('should resolve an unknown code, or one that is not base62, to undefined', () => {
      const shortener = new UrlShortener();
      shortener.shorten('https://example.com/a');
      expect(shortener.resolve('2')).toBeUndefined();
      expect(shortener.resolve('%%')).toBeUndefined();
    });

    it('should make codes from Snowflake ids, for servers that share no counter', () => {
      const generator = new Snowflake({ datacenterId: 31, workerId: 0, clock: new ManualClock(JAN_1_2024) });
      const shortener = new UrlShortener({ nextId: () => generator.nextId() });
      expect(shortener.shorten('https://example.com/a')).toBe('24ealwjR2Ia');
    });
  });

  describe('custom aliases', () => {
    it('should use the alias as the code', () => {
      const shortener = new UrlShortener();
      expect(shortener.shorten('https://example.com/trips/42', { alias: 'my-trip' })).toBe('my-trip');
      expect(shortener.resolve('my-trip')).toBe('https://example.com/trips/42');
    });

    it('should accept an alias again for the same URL, and refuse it for another with AliasTakenError', () => {
      const shortener = new UrlShortener();
      shortener.shorten('https://example.com/a', { alias: 'summer_24' });
      expect(shortener.shorten('https://example.com/a', { alias: 'summer_24' })).toBe('summer_24');
      expect(() => shortener.shorten('https://example.com/b', { alias: 'summer_24' })).toThrow(AliasTakenError);
      expect(() => shortener.shorten('https://example.com/b', { alias: 'summer_24' })).toThrow(/summer_24/);
      expect(shortener.resolve('summer_24')).toBe('https://example.com/a');
    });

    it('should keep the first code of a URL as its code, with the alias pointing there too', () => {
      const shortener = new UrlShortener();
      const code = shortener.shorten('https://example.com/a');
      expect(shortener.shorten('https://example.com/a', { alias: 'my-trip' })).toBe('my-trip');
      expect(shortener.shorten('https://example.com/a')).toBe(code);
      expect([shortener.resolve(code), shortener.resolve('my-trip')]).toEqual(['https://example.com/a', 'https://example.com/a']);
    });

    it('should make an alias the code of a URL that had none', () => {
      const shortener = new UrlShortener();
      shortener.shorten('https://example.com/a', { alias: 'my-trip' });
      expect(shortener.shorten('https://example.com/a')).toBe('my-trip');
    });

    it('should skip a generated code that an alias already holds, rather than overwrite it', () => {
      const shortener = new UrlShortener({ nextId: counterFrom(238_327n) }); // "zzz", then "1000"
      expect(shortener.shorten('https://example.com/a')).toBe('zzz');
      shortener.shorten('https://example.com/b', { alias: '1000' });
      expect(shortener.shorten('https://example.com/c')).toBe('1001');
      expect(shortener.resolve('1000')).toBe('https://example.com/b');
    });
  });

  describe('bad input', () => {
    it('should reject an alias that is too short, too long or has other characters', () => {
      const shortener = new UrlShortener();
      for (const alias of ['abc', 'a'.repeat(33), 'has space', 'ümlaut', 'a/b/c', '']) {
        expect(() => shortener.shorten('https://example.com/', { alias }), JSON.stringify(alias)).toThrow(RangeError);
        expect(() => shortener.shorten('https://example.com/', { alias }), JSON.stringify(alias)).toThrow(/alias/);
      }
      expect(shortener.shorten('https://example.com/', { alias: 'a'.repeat(32) })).toBe('a'.repeat(32));
    });

    it('should reject anything but an absolute http or https URL', () => {
      const shortener = new UrlShortener();
      for (const url of ['not a url', '/trips/42', 'ftp://example.com/file', 'javascript:alert(1)', '']) {
        expect(() => shortener.shorten(url), JSON.stringify(url)).toThrow(RangeError);
        expect(() => shortener.shorten(url), JSON.stringify(url)).toThrow(/url/);
      }
    });
  });
});

describe('properties', () => {
  it('fromBase62 should read back what toBase62 wrote, for any non-negative bigint', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 200n }), (n) => {
        const text = toBase62(n);
        const canonical = /^(0|[1-9A-Za-z][0-9A-Za-z]*)$/.test(text); // no leading zeros
        expectEqual({ text, canonical, back: fromBase62(text) }, { text, canonical: true, back: n });
      }),
    );
  });

  it('decode should give back the datacenter, worker, time and rank of every id', () => {
    fc.assert(
      fc.property(
        fc.nat(31),
        fc.nat(31),
        fc.integer({ min: 0, max: 2 ** 41 - 1 }),
        fc.integer({ min: 1, max: 20 }),
        (datacenterId, workerId, elapsed, count) => {
          const generator = new Snowflake({ datacenterId, workerId, clock: new ManualClock(TWITTER_EPOCH + elapsed) });
          const decoded = Array.from({ length: count }, () => decode(generator.nextId()));
          const timestamp = TWITTER_EPOCH + elapsed;
          const expected = Array.from({ length: count }, (_, sequence) => ({ timestamp, datacenterId, workerId, sequence }));
          expectEqual(decoded, expected);
        },
      ),
    );
  });

  it('ids from one generator should strictly increase, across milliseconds and bursts of more than 4096', () => {
    const step = fc.tuple(
      fc.nat(2), // milliseconds to advance first
      fc.oneof({ arbitrary: fc.integer({ min: 1, max: 40 }), weight: 5 }, { arbitrary: fc.constant(4100), weight: 1 }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.array(step, { maxLength: 6 }), (readsPerTick, steps) => {
        // A clock that also ticks on its own, every `readsPerTick` reads, as a real one does.
        const manual = new ManualClock(TWITTER_EPOCH);
        let reads = 0;
        const clock: Clock = { now: () => (++reads % readsPerTick === 0 ? manual.advance(1) : manual).now() };
        const generator = new Snowflake({ datacenterId: 1, workerId: 2, clock });
        let previous = -1n;
        let outOfOrder = 0;
        for (const [advance, calls] of steps) {
          manual.advance(advance);
          for (let i = 0; i < calls; i++) {
            const id = generator.nextId();
            if (id <= previous) outOfOrder++;
            previous = id;
          }
        }
        expect(outOfOrder).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe('UrlShortener against a model', () => {
  // The model: every code and the URL it points to, and each URL's first code.
  interface Model {
    urls: Map<string, string>;
    codes: Map<string, string>;
  }
  const urls = ['https://example.com/a', 'https://example.com/b', 'HTTPS://EXAMPLE.com/a', 'https://example.com/c?x=1'];
  const aliases = ['1000', '1001', 'my-trip', 'summer_24'];
  const probes = ['zzz', '1000', '1001', '1002', '1003', 'my-trip', 'summer_24', 'nope'];

  const expectSameState = (model: Model, real: UrlShortener): void => {
    const codes = [...new Set([...probes, ...model.urls.keys()])];
    expectEqual(
      codes.map((code) => real.resolve(code)),
      codes.map((code) => model.urls.get(code)),
    );
  };
  const record = (model: Model, code: string, href: string): void => {
    model.urls.set(code, href);
    if (!model.codes.has(href)) model.codes.set(href, code);
  };

  class Shorten implements fc.Command<Model, UrlShortener> {
    constructor(readonly url: string) {}
    check = () => true;
    run(model: Model, real: UrlShortener): void {
      const href = new URL(this.url).href;
      const code = real.shorten(this.url);
      const known = model.codes.get(href);
      if (known !== undefined) {
        expectEqual(code, known);
      } else {
        // A fresh base62 code, never one already in use.
        expectEqual({ code, base62: /^[0-9A-Za-z]+$/.test(code), inUse: model.urls.has(code) }, { code, base62: true, inUse: false });
        record(model, code, href);
      }
      expectSameState(model, real);
    }
    toString = () => `shorten(${this.url})`;
  }

  class ShortenWithAlias implements fc.Command<Model, UrlShortener> {
    constructor(
      readonly url: string,
      readonly alias: string,
    ) {}
    check = () => true;
    run(model: Model, real: UrlShortener): void {
      const href = new URL(this.url).href;
      const owner = model.urls.get(this.alias);
      if (owner !== undefined && owner !== href) {
        expectEqual(thrownBy(() => real.shorten(this.url, { alias: this.alias })) instanceof AliasTakenError, true);
      } else {
        expectEqual(real.shorten(this.url, { alias: this.alias }), this.alias);
        record(model, this.alias, href);
      }
      expectSameState(model, real);
    }
    toString = () => `shorten(${this.url}, { alias: ${this.alias} })`;
  }

  it('should keep every code pointing to its URL under any sequence of shortenings', () => {
    const commands = fc.commands(
      [
        fc.constantFrom(...urls).map((url) => new Shorten(url)),
        fc.tuple(fc.constantFrom(...urls), fc.constantFrom(...aliases)).map(([url, alias]) => new ShortenWithAlias(url, alias)),
      ],
      { maxCommands: 30 },
    );
    fc.assert(
      fc.property(commands, (cmds) => {
        // Generated codes run "zzz", "1000", "1001", ...: straight into two of the aliases.
        const setup = () => ({ model: { urls: new Map(), codes: new Map() }, real: new UrlShortener({ nextId: counterFrom(238_327n) }) });
        fc.modelRun(setup, cmds);
      }),
    );
  });
});
