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
import type { ScoreRequest, ScoreReply, WorkerSetup } from './score-workers.js';

const setup = workerData as WorkerSetup;
const interrupt = new AbortController();
const scoreItem = createScorer(setup.suite, undefined, {
  signal: interrupt.signal,
  boilerplate: new Map(setup.boilerplate.map(([tool, tokens]) => [tool, tokens ? new Set(tokens) : undefined])),
});
const port = parentPort!;

// Replies go back in batches, one message per event-loop turn (as requests come: score-workers.ts).
const replies: ScoreReply[] = [];
const reply = (r: ScoreReply) => {
  if (replies.push(r) === 1) setImmediate(() => port.postMessage(replies.splice(0)));
};

port.on('message', (m: ScoreRequest[] | 'abort') => {
  if (m === 'abort') return interrupt.abort();
  for (const req of m) {
    // A scorer may answer at once, wait, or throw (an interrupted invariant): each ends in the promise.
    new Promise<Scored>((resolve) => resolve(scoreItem({ call: req.call } as WorkItem, { raw: req.raw } as Observation, req.earlier))).then(
      (r) => reply({ id: req.id, parsed: r.parsed, scores: r.scores }),
      (err: unknown) =>
        reply(err instanceof ScoringInterrupted ? { id: req.id, interrupted: true } : { id: req.id, error: (err as Error)?.stack ?? String(err) }),
    );
  }
});
