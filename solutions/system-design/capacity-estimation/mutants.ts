import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'a day counted as 3,600 x 12 seconds',
    find: `const SECONDS_PER_DAY = 24 * 60 * 60;`,
    replace: `const SECONDS_PER_DAY = 3_600 * 12;`,
  },
  {
    name: 'the peak factor applied twice',
    find: `const peak = average * peakFactor;`,
    replace: `const peak = average * peakFactor * peakFactor;`,
  },
  {
    name: 'serversNeeded rounds down',
    find: `Math.ceil(peakQps / (qpsPerServer * targetUtilization) - FIT_TOLERANCE)`,
    replace: `Math.floor(peakQps / (qpsPerServer * targetUtilization) - FIT_TOLERANCE)`,
  },
  {
    name: 'the utilization divides the wrong side',
    find: `peakQps / (qpsPerServer * targetUtilization)`,
    replace: `(peakQps * targetUtilization) / qpsPerServer`,
  },
  {
    name: 'serversNeeded trusts floating point on an exact fit',
    find: `(qpsPerServer * targetUtilization) - FIT_TOLERANCE)`,
    replace: `(qpsPerServer * targetUtilization))`,
  },
  {
    name: 'formatBytes divides by 1000 but prints binary unit names',
    find: `const UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB', 'EB'] as const;`,
    replace: `const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'] as const;`,
  },
  {
    name: 'formatBytes divides by 1024 but prints decimal unit names',
    find: `const UNIT_STEP = 1000;`,
    replace: `const UNIT_STEP = 1024;`,
  },
]);
