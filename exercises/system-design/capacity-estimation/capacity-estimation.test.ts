import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bandwidth, cacheMemory, formatBytes, qps, serversNeeded, storagePerYear } from './capacity-estimation.ts';

/** Equal up to floating-point rounding: within a billionth of the larger value. */
const expectClose = (actual: number, expected: number): void => {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(expected)));
};

describe('qps', () => {
  it('should turn 1M daily users at 50 requests each into about 580 per second, 1,160 at the default 2x peak', () => {
    const { average, peak } = qps({ dailyActiveUsers: 1_000_000, requestsPerUserPerDay: 50 });
    // 50,000,000 requests / 86,400 seconds
    expect(average).toBeCloseTo(578.7037, 4);
    expect(peak).toBeCloseTo(1157.4074, 4);
  });

  it('should keep the exact value: a day has 86,400 seconds', () => {
    expect(qps({ dailyActiveUsers: 86_400, requestsPerUserPerDay: 1 }).average).toBe(1);
    expect(qps({ dailyActiveUsers: 1, requestsPerUserPerDay: 1 }).average).toBe(1 / 86_400);
  });

  it('should multiply the average by the peak factor, once', () => {
    expect(qps({ dailyActiveUsers: 86_400, requestsPerUserPerDay: 10, peakFactor: 3 })).toEqual({ average: 10, peak: 30 });
    expect(qps({ dailyActiveUsers: 86_400, requestsPerUserPerDay: 10, peakFactor: 1 })).toEqual({ average: 10, peak: 10 });
  });

  it('should size the location updates of 10M travellers, every 5 minutes for 12 hours a day', () => {
    // 12 updates an hour for 12 hours: 144 a day each, 1.44 billion in all.
    const writes = qps({ dailyActiveUsers: 10_000_000, requestsPerUserPerDay: 144, peakFactor: 3 });
    expect(writes.average).toBeCloseTo(16_666.667, 3);
    expect(writes.peak).toBeCloseTo(50_000, 6);
  });
});

describe('storagePerYear', () => {
  it('should count 365 days of items', () => {
    expect(storagePerYear({ itemsPerDay: 1, bytesPerItem: 1 })).toBe(365);
  });

  it('should store 1.44 billion location points of 100 bytes a day in 52.56 TB a year, 157.68 TB with 3 replicas', () => {
    expect(storagePerYear({ itemsPerDay: 1_440_000_000, bytesPerItem: 100 })).toBe(52_560_000_000_000);
    expect(storagePerYear({ itemsPerDay: 1_440_000_000, bytesPerItem: 100, replication: 3 })).toBe(157_680_000_000_000);
  });
});

describe('formatBytes', () => {
  it.each([
    { bytes: 0, shown: '0 B' },
    { bytes: 999, shown: '999 B' },
    { bytes: 1000, shown: '1 kB' },
    { bytes: 1500, shown: '1.5 kB' },
    { bytes: 1024, shown: '1.02 kB' },
    { bytes: 1157.4, shown: '1.16 kB' },
    { bytes: 999_999, shown: '1 MB' },
    { bytes: 2_000_000_000, shown: '2 GB' },
    { bytes: 52_560_000_000_000, shown: '52.6 TB' },
    { bytes: 2.5e15, shown: '2.5 PB' },
    { bytes: 1e18, shown: '1 EB' },
    { bytes: 0.5, shown: '0.5 B' },
    { bytes: 1e21, shown: '1000 EB' },
  ])('should show $bytes bytes as $shown', ({ bytes, shown }) => {
    expect(formatBytes(bytes)).toBe(shown);
  });

  it("should confirm the source's estimate: 501 MB per user-year for 1M users is 501 TB, about 2.5 PB in 5 years", () => {
    // 1 MB of profile and 500 MB of photos per user and year, in decimal units.
    expect(formatBytes(1_000_000 * 501_000_000)).toBe('501 TB');
    // The profile is stored once, the photos every year: 1 MB + 5 * 500 MB per user.
    expect(formatBytes(1_000_000 * (1_000_000 + 5 * 500_000_000))).toBe('2.5 PB');
  });
});

describe('bandwidth', () => {
  it('should turn 50,000 requests of 500 bytes a second into 25 MB/s, 200 Mbit/s', () => {
    expect(bandwidth({ qps: 50_000, bytesPerRequest: 500 })).toEqual({
      bytesPerSecond: 25_000_000,
      bitsPerSecond: 200_000_000,
      readable: '25 MB/s',
    });
  });

  it('should format small rates too', () => {
    expect(bandwidth({ qps: 2, bytesPerRequest: 300 }).readable).toBe('600 B/s');
  });
});

describe('cacheMemory', () => {
  it('should hold the latest position of 10M travellers, 100 bytes each, in 1 GB, or 2 GB with an overhead of 2', () => {
    expect(cacheMemory({ hotItems: 10_000_000, bytesPerItem: 100 })).toBe(1_000_000_000);
    expect(cacheMemory({ hotItems: 10_000_000, bytesPerItem: 100, overhead: 2 })).toBe(2_000_000_000);
  });
});

describe('serversNeeded', () => {
  it('should plan 15 servers for a 50,000 QPS peak at 5,000 QPS each, run at 70%', () => {
    // Each server is planned at 3,500 QPS: 50,000 / 3,500 = 14.3, so 15.
    expect(serversNeeded({ peakQps: 50_000, qpsPerServer: 5_000, targetUtilization: 0.7 })).toBe(15);
  });

  it('should round up: one request more than fits needs one more server', () => {
    expect(serversNeeded({ peakQps: 3_500, qpsPerServer: 5_000, targetUtilization: 0.7 })).toBe(1);
    expect(serversNeeded({ peakQps: 3_501, qpsPerServer: 5_000, targetUtilization: 0.7 })).toBe(2);
  });

  it('should count an exact fit as a fit, although 3 * 0.7 is 2.0999999999999996 in binary', () => {
    expect(serversNeeded({ peakQps: 21, qpsPerServer: 3, targetUtilization: 0.7 })).toBe(10);
    expect(serversNeeded({ peakQps: 2_100, qpsPerServer: 1_000, targetUtilization: 0.7 })).toBe(3);
  });

  it('should need at least one server, however small the load', () => {
    expect(serversNeeded({ peakQps: 0.001, qpsPerServer: 10_000, targetUtilization: 1 })).toBe(1);
  });
});

describe('bad input', () => {
  const notPositive = [0, -1, Number.NaN, Number.POSITIVE_INFINITY];
  const belowOne = [0.5, Number.NaN, Number.POSITIVE_INFINITY];
  const cases: { fn: string; arg: string; values: number[]; run: (value: number) => unknown }[] = [
    { fn: 'qps', arg: 'dailyActiveUsers', values: notPositive, run: (v) => qps({ dailyActiveUsers: v, requestsPerUserPerDay: 50 }) },
    { fn: 'qps', arg: 'requestsPerUserPerDay', values: notPositive, run: (v) => qps({ dailyActiveUsers: 1, requestsPerUserPerDay: v }) },
    { fn: 'qps', arg: 'peakFactor', values: belowOne, run: (v) => qps({ dailyActiveUsers: 1, requestsPerUserPerDay: 1, peakFactor: v }) },
    { fn: 'storagePerYear', arg: 'itemsPerDay', values: notPositive, run: (v) => storagePerYear({ itemsPerDay: v, bytesPerItem: 1 }) },
    { fn: 'storagePerYear', arg: 'bytesPerItem', values: notPositive, run: (v) => storagePerYear({ itemsPerDay: 1, bytesPerItem: v }) },
    { fn: 'storagePerYear', arg: 'replication', values: belowOne, run: (v) => storagePerYear({ itemsPerDay: 1, bytesPerItem: 1, replication: v }) },
    { fn: 'bandwidth', arg: 'qps', values: notPositive, run: (v) => bandwidth({ qps: v, bytesPerRequest: 1 }) },
    { fn: 'bandwidth', arg: 'bytesPerRequest', values: notPositive, run: (v) => bandwidth({ qps: 1, bytesPerRequest: v }) },
    { fn: 'cacheMemory', arg: 'hotItems', values: notPositive, run: (v) => cacheMemory({ hotItems: v, bytesPerItem: 1 }) },
    { fn: 'cacheMemory', arg: 'bytesPerItem', values: notPositive, run: (v) => cacheMemory({ hotItems: 1, bytesPerItem: v }) },
    { fn: 'cacheMemory', arg: 'overhead', values: belowOne, run: (v) => cacheMemory({ hotItems: 1, bytesPerItem: 1, overhead: v }) },
    { fn: 'serversNeeded', arg: 'peakQps', values: notPositive, run: (v) => serversNeeded({ peakQps: v, qpsPerServer: 1, targetUtilization: 1 }) },
    { fn: 'serversNeeded', arg: 'qpsPerServer', values: notPositive, run: (v) => serversNeeded({ peakQps: 1, qpsPerServer: v, targetUtilization: 1 }) },
    {
      fn: 'serversNeeded',
      arg: 'targetUtilization',
      values: [0, -0.5, 1.5, Number.NaN],
      run: (v) => serversNeeded({ peakQps: 1, qpsPerServer: 1, targetUtilization: v }),
    },
    { fn: 'formatBytes', arg: 'bytes', values: [-1, Number.NaN, Number.POSITIVE_INFINITY], run: (v) => formatBytes(v) },
  ];

  it.each(cases)('$fn should reject $arg = $values with a RangeError naming it', ({ arg, values, run }) => {
    for (const value of values) {
      expect(() => run(value)).toThrow(RangeError);
      expect(() => run(value)).toThrow(arg);
    }
  });
});

describe('properties', () => {
  const users = fc.integer({ min: 1, max: 100_000_000 });
  const perUser = fc.integer({ min: 1, max: 1_000 });

  it('qps should scale linearly with users and with requests per user', () => {
    fc.assert(
      fc.property(users, users, perUser, fc.integer({ min: 1, max: 10 }), (a, b, requests, k) => {
        const average = (dailyActiveUsers: number, requestsPerUserPerDay: number) => qps({ dailyActiveUsers, requestsPerUserPerDay }).average;
        expectClose(average(a + b, requests), average(a, requests) + average(b, requests));
        expectClose(average(a, requests * k), k * average(a, requests));
      }),
    );
  });

  it('qps should put the peak at peakFactor times the average', () => {
    fc.assert(
      fc.property(users, perUser, fc.double({ min: 1, max: 10, noNaN: true }), (dailyActiveUsers, requestsPerUserPerDay, peakFactor) => {
        const { average, peak } = qps({ dailyActiveUsers, requestsPerUserPerDay, peakFactor });
        expectClose(peak, average * peakFactor);
      }),
    );
  });

  it('serversNeeded should be the least n with n * qpsPerServer * targetUtilization >= peakQps', () => {
    // Utilizations exact in binary, so that the arithmetic below is exact too.
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 20_000 }),
        fc.constantFrom(0.25, 0.5, 0.625, 0.75, 1),
        (peakQps, qpsPerServer, targetUtilization) => {
          const n = serversNeeded({ peakQps, qpsPerServer, targetUtilization });
          expect(Number.isInteger(n) && n >= 1).toBe(true);
          expect(n * qpsPerServer * targetUtilization).toBeGreaterThanOrEqual(peakQps);
          if (n > 1) expect((n - 1) * qpsPerServer * targetUtilization).toBeLessThan(peakQps);
        },
      ),
    );
  });

  it('formatBytes should show the value in the largest unit it reaches, to three significant digits', () => {
    const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'];
    fc.assert(
      fc.property(fc.double({ min: 1, max: 9.99e20, noNaN: true }), (bytes) => {
        const [number, unit] = formatBytes(bytes).split(' ');
        const shown = Number(number);
        const scale = 1000 ** units.indexOf(unit!);
        expect(units).toContain(unit);
        // Three significant digits: off by at most half a unit in the third digit.
        expect(Math.abs(shown * scale - bytes)).toBeLessThanOrEqual(0.005 * bytes + 1e-9);
        if (unit !== 'EB') expect(shown).toBeLessThan(1000);
        if (unit !== 'B') expect(shown).toBeGreaterThanOrEqual(1);
      }),
    );
  });
});
