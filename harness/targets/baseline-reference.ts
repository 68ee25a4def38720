/**
 * `baseline:reference`: replays the dataset's recorded real-tool output. It is the upper bound of every
 * fidelity metric and the proof that the scorers give 100% where they should.
 */
import type { TargetSpec } from '../suite/types.js';
import { createLocalTarget } from './local-target.js';
import type { Target } from './types.js';

export async function createReferenceBaseline(spec: TargetSpec): Promise<Target> {
  return createLocalTarget({
    name: spec.name,
    kind: spec.kind,
    backend: "baseline:reference (replays the dataset rows' recorded real outputs)",
    describe: {},
    answer: ({ call }) => {
      if (call.reference === undefined) {
        throw new Error(`dataset row ${call.id} (${call.source.dataset}:${call.source.line}) has no reference to replay`);
      }
      return call.reference;
    },
  });
}
