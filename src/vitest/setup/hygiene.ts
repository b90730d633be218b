/**
 * For projects whose test files share workers (no isolation): undo what a file may leave
 * behind, so that the next file starts clean. (Within a file, restoring is the file's job.)
 */
import { afterAll, vi } from 'vitest';

afterAll(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
  vi.unstubAllEnvs();
});
