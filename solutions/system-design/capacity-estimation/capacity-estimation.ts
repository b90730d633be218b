/**
 * Back-of-the-envelope capacity estimation: requests per second from daily users, storage per
 * year, bandwidth, cache memory and server count, plus a byte formatter for the answers.
 *
 * Conventions, the same in every function: time in seconds, sizes in bytes, a day of 86,400 s,
 * a year of 365 days, and decimal units (1 kB = 1,000 B, 1 TB = 10^12 B), as disks and networks
 * are sold and as mental arithmetic in powers of ten wants. Every function returns the exact
 * value: round when you present it, not while you compute.
 *
 * Complexity: O(1) each. Trade-off: these are estimates for choosing an architecture; the
 * inputs are guesses, so a careful factor of 2 matters more than the third digit.
 */

const SECONDS_PER_DAY = 24 * 60 * 60;
const DAYS_PER_YEAR = 365;

export interface QpsInput {
  readonly dailyActiveUsers: number;
  readonly requestsPerUserPerDay: number;
  /** Peak over average, at least 1; default 2. */
  readonly peakFactor?: number;
}

/** Requests per second. */
export interface Qps {
  readonly average: number;
  readonly peak: number;
}

/**
 * Requests per second: `average = dailyActiveUsers * requestsPerUserPerDay / 86,400` and
 * `peak = average * peakFactor`.
 * @throws {RangeError} naming the argument unless the counts are positive and finite and
 * `peakFactor` is finite and at least 1.
 */
export function qps({ dailyActiveUsers, requestsPerUserPerDay, peakFactor = 2 }: QpsInput): Qps {
  requirePositive('dailyActiveUsers', dailyActiveUsers);
  requirePositive('requestsPerUserPerDay', requestsPerUserPerDay);
  requireAtLeastOne('peakFactor', peakFactor);
  const average = (dailyActiveUsers * requestsPerUserPerDay) / SECONDS_PER_DAY;
  const peak = average * peakFactor;
  return { average, peak };
}

export interface StorageInput {
  readonly itemsPerDay: number;
  readonly bytesPerItem: number;
  /** Copies kept of each item, at least 1; default 1. Not necessarily whole (erasure coding stores about 1.5). */
  readonly replication?: number;
}

/**
 * Bytes written per year: `itemsPerDay * bytesPerItem * 365 * replication`.
 * @throws {RangeError} naming the argument unless the counts and sizes are positive and finite
 * and `replication` is finite and at least 1.
 */
export function storagePerYear({ itemsPerDay, bytesPerItem, replication = 1 }: StorageInput): number {
  requirePositive('itemsPerDay', itemsPerDay);
  requirePositive('bytesPerItem', bytesPerItem);
  requireAtLeastOne('replication', replication);
  return itemsPerDay * bytesPerItem * DAYS_PER_YEAR * replication;
}

export interface BandwidthInput {
  /** Requests per second. */
  readonly qps: number;
  readonly bytesPerRequest: number;
}

export interface Bandwidth {
  readonly bytesPerSecond: number;
  /** Networks are sold in bits: 8 per byte. */
  readonly bitsPerSecond: number;
  /** The bytes per second for people, as `formatBytes` gives them, with `/s`: `25 MB/s`. */
  readonly readable: string;
}

/**
 * Bandwidth for a stream of requests: `bytesPerSecond = qps * bytesPerRequest`.
 * @throws {RangeError} naming the argument unless both are positive and finite.
 */
export function bandwidth({ qps, bytesPerRequest }: BandwidthInput): Bandwidth {
  requirePositive('qps', qps);
  requirePositive('bytesPerRequest', bytesPerRequest);
  const bytesPerSecond = qps * bytesPerRequest;
  return { bytesPerSecond, bitsPerSecond: bytesPerSecond * 8, readable: `${formatBytes(bytesPerSecond)}/s` };
}

export interface CacheMemoryInput {
  readonly hotItems: number;
  readonly bytesPerItem: number;
  /** The store's own bookkeeping as a factor, at least 1; default 1. Redis with small values: about 1.5 to 2. */
  readonly overhead?: number;
}

/**
 * Memory to hold the hot items: `hotItems * bytesPerItem * overhead` bytes.
 * @throws {RangeError} naming the argument unless the count and size are positive and finite and
 * `overhead` is finite and at least 1.
 */
export function cacheMemory({ hotItems, bytesPerItem, overhead = 1 }: CacheMemoryInput): number {
  requirePositive('hotItems', hotItems);
  requirePositive('bytesPerItem', bytesPerItem);
  requireAtLeastOne('overhead', overhead);
  return hotItems * bytesPerItem * overhead;
}

export interface ServersInput {
  readonly peakQps: number;
  /** What one server sustains at full load. */
  readonly qpsPerServer: number;
  /** The share of that to plan for, in (0, 1]: 0.7 keeps 30% headroom. */
  readonly targetUtilization: number;
}

// 0.7 and most decimal fractions are not exact in binary: 3 * 0.7 is 2.0999999999999996, so
// 21 / (3 * 0.7) comes out as 10.000000000000002. A quotient this close above a whole number
// counts as that number: an exact fit is a fit.
const FIT_TOLERANCE = 1e-9;

/**
 * The fewest servers that carry the peak at the target utilization: the least whole `n >= 1`
 * with `n * qpsPerServer * targetUtilization >= peakQps`, an exact fit counting as a fit.
 * @throws {RangeError} naming the argument unless `peakQps` and `qpsPerServer` are positive and
 * finite and `targetUtilization` is in (0, 1].
 */
export function serversNeeded({ peakQps, qpsPerServer, targetUtilization }: ServersInput): number {
  requirePositive('peakQps', peakQps);
  requirePositive('qpsPerServer', qpsPerServer);
  if (!(targetUtilization > 0 && targetUtilization <= 1)) {
    throw new RangeError(`targetUtilization must be in (0, 1], got ${targetUtilization}`);
  }
  const servers = Math.ceil(peakQps / (qpsPerServer * targetUtilization) - FIT_TOLERANCE);
  return Math.max(1, servers);
}

const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;
const UNIT_STEP = 1000;

/**
 * A byte count for people, in decimal units (kB = 1,000 B up to EB = 10^18 B), with three
 * significant digits and no trailing zeros: `501 TB`, `2.5 PB`, `1.16 kB`, `999 B`, `0 B`.
 * @throws {RangeError} unless `bytes` is finite and 0 or more.
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`bytes must be a finite number >= 0, got ${bytes}`);
  let unit = 0;
  let value = bytes;
  while (value >= UNIT_STEP && unit < UNITS.length - 1) {
    value /= UNIT_STEP;
    unit += 1;
  }
  let shown = Number(value.toPrecision(3));
  // 999,999 B rounds to 1000 kB: say 1 MB instead.
  if (shown >= UNIT_STEP && unit < UNITS.length - 1) {
    shown = Number((shown / UNIT_STEP).toPrecision(3));
    unit += 1;
  }
  return `${shown} ${UNITS[unit]}`;
}

function requirePositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive finite number, got ${value}`);
}

function requireAtLeastOne(name: string, value: number): void {
  if (!Number.isFinite(value) || value < 1) throw new RangeError(`${name} must be a finite number >= 1, got ${value}`);
}
