/**
 * The body of one score worker (score-workers.ts): the suite's scorer, built once in this thread, answering
 * one message per answer to score. The main thread keeps calls, records and order; this thread only turns
 * raw text into parsed output and scores, with the same code as the in-thread path (score-item.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { Scored } from '../engine/run-items.js';
import type { WorkItem } from '../plan/types.js';
import { ScoringInterrupted } from '../scoring/invariant-runner.js';
import type { Observation } from '../targets/types.js';
import { createScorer } from './score-item.js';
import { compactScores, type ReplyBatch, type ScoreRequest, type ScoreReply, type WorkerSetup } from './score-workers.js';
import { DEFAULT_RECORD_TEXT_CHARS } from '../records/stored-text.js';

const setup = workerData as WorkerSetup;
const interrupt = new AbortController();
const scoreItem = createScorer(setup.suite, undefined, {
  signal: interrupt.signal,
  boilerplate: new Map(setup.boilerplate.map(([tool, tokens]) => [tool, tokens ? new Set(tokens) : undefined])),
});
const port = parentPort!;

// Replies go back in batches, one message per event-loop turn (as requests come: score-workers.ts), with the
// metric names first seen since the last batch.
const replies: ScoreReply[] = [];
const names = new Map<string, number>();
let fresh: string[] = [];
const indexOf = (metric: string): number => {
  let i = names.get(metric);
  if (i === undefined) {
    names.set(metric, (i = names.size));
    fresh.push(metric);
  }
  return i;
};
const reply = (r: ScoreReply) => {
  if (replies.push(r) === 1)
    setImmediate(() => {
      const batch: ReplyBatch = { names: fresh, replies: replies.splice(0) };
      fresh = [];
      port.postMessage(batch);
    });
};
/** Texts a record keeps whole (build-record.ts), so a `json` answer's value can be JSON.parse(raw) over there. */
const wholeTextChars = setup.suite.limits?.record_text_chars ?? DEFAULT_RECORD_TEXT_CHARS;

port.on('message', (m: ScoreRequest[] | 'abort') => {
  if (m === 'abort') return interrupt.abort();
  for (const req of m) {
    // A scorer may answer at once, wait, or throw (an interrupted invariant): each ends in the promise.
    new Promise<Scored>((resolve) => resolve(scoreItem({ call: req.call } as WorkItem, { raw: req.raw } as Observation, req.earlier))).then(
      (r) => {
        const scores = compactScores(r.scores, indexOf);
        const p = r.parsed;
        // The value crosses only when the main thread cannot have it from the raw text (records/record-output.ts).
        if (p?.status === 'json' && !req.call.session && req.raw.length <= wholeTextChars) {
          const { value: _value, ...rest } = p;
          reply({ id: req.id, parsed: rest, valueFromRaw: true, scores });
        } else reply({ id: req.id, parsed: p, scores });
      },
      (err: unknown) =>
        reply(err instanceof ScoringInterrupted ? { id: req.id, interrupted: true } : { id: req.id, error: (err as Error)?.stack ?? String(err) }),
    );
  }
});
