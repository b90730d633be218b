/**
 * Setup for the verification's runs, configured per project through `provide`:
 * - `fcSeed`: one fast-check seed for every property, so that a verification run replays;
 * - `failFast`: the run only needs to know whether tests fail (stubs, mutants), so properties
 *   stop at their first counterexample instead of shrinking it;
 * - `stopAtFirstFailure`: a mutant is caught by one failing test, so skip the rest of the file.
 * Runs with `hygiene.ts`, since test files share workers here.
 */
import fc from 'fast-check';
import { beforeAll, beforeEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    fcSeed: number;
    failFast: boolean;
    stopAtFirstFailure: boolean;
  }
}

const failFast = inject('failFast');
fc.configureGlobal({ seed: inject('fcSeed'), endOnFailure: failFast });

let failed = false;
beforeAll(() => {
  failed = false;
});
beforeEach((context) => {
  if (failed && inject('stopAtFirstFailure')) context.skip('an earlier test of this file failed');
  context.onTestFailed(() => {
    failed = true;
  });
});
