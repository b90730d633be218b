import { defineMutants } from '../../../src/kata/mutants.ts';

export default defineMutants([
  {
    name: 'off by one: makes maxAttempts + 1 attempts',
    find: `if (attempt >= maxAttempts) throw new RetryError(errors, 'maxAttempts');`,
    replace: `if (attempt > maxAttempts) throw new RetryError(errors, 'maxAttempts');`,
  },
  {
    name: 'full jitter draws from the uncapped exponential',
    find: `        delay = random() * ceiling;`,
    replace: `        delay = random() * baseDelayMs * 2 ** (attempt - 1);`,
  },
  {
    name: 'decorrelated jitter grows from base * 3 instead of the previous delay * 3',
    find: `random() * (previousDelay * 3 - baseDelayMs)`,
    replace: `random() * (baseDelayMs * 3 - baseDelayMs)`,
  },
  {
    name: 'retries an error that is not retryable',
    find: `      if (!retryable(error)) throw error;
`,
    replace: ``,
  },
  {
    name: 'checks only that the deadline has not passed yet, and sleeps past it',
    find: `if (now() + delay >= deadlineAt)`,
    replace: `if (now() >= deadlineAt)`,
  },
  {
    name: 'withTimeout never clears its timer',
    find: `    const settle = (finish: () => void) => {
      clearTimeout(timer);`,
    replace: `    const settle = (finish: () => void) => {`,
  },
  {
    name: 'the sleep ignores the abort signal: abort is noticed only when it ends',
    find: `await untilAborted(sleep(delay, signal), signal);`,
    replace: `await sleep(delay);`,
  },
]);
