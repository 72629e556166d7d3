// A scenario's tests build on each other: round 2 uses what round 1 created, and the checks of
// storage, runtime APIs and RPC look at what the rounds left. Once a round fails, every later
// test is skipped, naming the round that failed, rather than failing again with errors that
// only repeat the first one. A failed check skips nothing: the other checks still run.

import { test } from 'node:test';

/** `{ round, check }`: two `test` functions for the steps of one scenario, run in order. */
export function scenario() {
  let failedRound = null;
  const step = (isRound) => (name, fn) =>
    test(name, async (t) => {
      if (failedRound) {
        t.skip(`an earlier round failed: ${failedRound}`);
        return;
      }
      try {
        await fn(t);
      } catch (error) {
        if (isRound) failedRound = name;
        throw error;
      }
    });
  return { round: step(true), check: step(false) };
}
