/**
 * For projects whose test files share workers (no isolation): undo what a file may leave
 * behind, so that the next file starts clean.
 */
import { afterAll, afterEach, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
});
afterAll(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
