/**
 * Back-of-the-envelope capacity estimation: requests per second from daily users, storage per
 * year, bandwidth, cache memory and server count, plus a byte formatter for the answers.
 *
 * Conventions, the same in every function: time in seconds, sizes in bytes, a day of 86,400 s,
 * a year of 365 days, and decimal units (1 kB = 1,000 B, 1 TB = 10^12 B). Return exact values:
 * no rounding, except where a contract says so.
 *
 * Read README.md for the idea, `npm run kata -- hint capacity-estimation` when you are stuck.
 */

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
export function qps(_input: QpsInput): Qps {
  throw new Error('TODO: implement qps');
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
export function storagePerYear(_input: StorageInput): number {
  throw new Error('TODO: implement storagePerYear');
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
export function bandwidth(_input: BandwidthInput): Bandwidth {
  throw new Error('TODO: implement bandwidth');
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
export function cacheMemory(_input: CacheMemoryInput): number {
  throw new Error('TODO: implement cacheMemory');
}

export interface ServersInput {
  readonly peakQps: number;
  /** What one server sustains at full load. */
  readonly qpsPerServer: number;
  /** The share of that to plan for, in (0, 1]: 0.7 keeps 30% headroom. */
  readonly targetUtilization: number;
}

/**
 * The fewest servers that carry the peak at the target utilization: the least whole `n >= 1`
 * with `n * qpsPerServer * targetUtilization >= peakQps`, an exact fit counting as a fit.
 * @throws {RangeError} naming the argument unless `peakQps` and `qpsPerServer` are positive and
 * finite and `targetUtilization` is in (0, 1].
 */
export function serversNeeded(_input: ServersInput): number {
  throw new Error('TODO: implement serversNeeded');
}

/**
 * A byte count for people, in decimal units (kB = 1,000 B up to EB = 10^18 B), with three
 * significant digits and no trailing zeros: `501 TB`, `2.5 PB`, `1.16 kB`, `999 B`, `0 B`.
 * @throws {RangeError} unless `bytes` is finite and 0 or more.
 */
export function formatBytes(_bytes: number): string {
  throw new Error('TODO: implement formatBytes');
}
