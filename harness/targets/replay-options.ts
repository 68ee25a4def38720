/**
 * The replay target's options, apart from the target itself so that the composition root (targets/builtin.ts)
 * can declare them for `validate` without loading the records reader and the cache keyer at start-up.
 */
import type { TargetOptionsSpec } from './registry.js';
import { optionSchema as o } from './target-options.js';

export const REPLAY_OPTIONS: TargetOptionsSpec = {
  properties: {
    run: o.text('the run folder whose records answer, relative to the suite file'),
    target: o.text("which of that run's targets to answer as (default: this target's name)"),
  },
  required: ['run'],
};
