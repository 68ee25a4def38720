/**
 * The per-call figures every record carries, as a metric family: `call.error` (1 when the call got no answer
 * after retries) and `call.latency_ms`. They are fields of the record rather than scores, so the family is
 * always on, adds nothing to records, and reports, gates and compare read its values with `fromRecord`.
 */
import type { RecordFamily } from './metric-family.js';

export const callFamily: RecordFamily = {
  source: 'record',
  name: 'call',
  description: 'whether the call got an answer, and how long it took',
  needs: {},
  metrics: {
    'call.error': {
      label: 'call failed (no answer)',
      direction: 'lower',
      kind: 'binary',
      how: 'the call got no answer (transport error after retries): 1, else 0',
    },
    'call.latency_ms': {
      label: 'latency ms',
      direction: 'lower',
      kind: 'unbounded',
      how: 'wall time of the call in milliseconds, as the harness measured it',
    },
  },
  fromRecord: (r) => ({ 'call.error': r.error ? 1 : 0, 'call.latency_ms': r.latency_ms }),
};
