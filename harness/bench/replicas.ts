/**
 * Does throughput grow with replicas, or does the harness become the bottleneck? Each replica is a vLLM
 * stand-in in its own child process with a fixed capacity (`maxConcurrent` completions at once, each taking
 * `latencyMs`, like a server at its --max-num-seqs limit), so one replica serves at most
 * maxConcurrent * 1000 / latencyMs calls/s. The harness (openai target with 1, 2, 4 replicas -> engine ->
 * format + logic scoring -> records.jsonl) should track that capacity line: 1x, 2x, 4x.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isOpenAITarget, type LoadedSuite } from '../suite/types.js';
import { createOpenAITarget } from '../targets/openai.js';
import { cycledCalls, timedHarnessPass } from './harness-pass.js';
import { spawnStandIn, type StandInProcess } from './stand-in-process.js';

export interface ReplicaRow {
  replicas: number;
  calls: number;
  capacity_per_s: number;
  harness_per_s: number;
  share_of_capacity: number;
  calls_per_replica: Record<string, number>;
}

export async function replicaScaling(suite: LoadedSuite, text: string, opts = { calls: 4000, maxConcurrent: 4, latencyMs: 10 }): Promise<ReplicaRow[]> {
  const perReplica = (opts.maxConcurrent * 1000) / opts.latencyMs;
  const servers: StandInProcess[] = [];
  const tmp = mkdtempSync(join(tmpdir(), 'gtm-bench-replicas-'));
  const rows: ReplicaRow[] = [];
  console.log(
    `\nreplica scaling: each replica a stand-in serving ${opts.maxConcurrent} completions at once, ${opts.latencyMs} ms each (capacity ${perReplica}/s)`,
  );
  console.log('replicas | capacity | harness (format+logic, records) | share | calls per replica');
  try {
    for (let i = 0; i < 4; i++) servers.push(await spawnStandIn({ model: 'bench', text, latencyMs: opts.latencyMs, maxConcurrent: opts.maxConcurrent }));
    const spec = suite.targets.find(isOpenAITarget)!;
    for (const n of [1, 2, 4]) {
      const urls = servers.slice(0, n).map((x) => `${x.url}/v1`);
      const target = await createOpenAITarget({
        ...spec,
        base_url: urls[0],
        ...(n > 1 ? { replicas: urls } : {}),
        model: 'bench',
        concurrency: 64,
        retries: 0,
      });
      const perUrl: Record<string, number> = {};
      const { perS: rate } = await timedHarnessPass({
        suite,
        calls: cycledCalls(suite, opts.calls, 'replica-bench'),
        metrics: ['format', 'logic'],
        target,
        targetName: spec.name,
        identity: { bench: n },
        concurrency: 64,
        recordsPath: join(tmp, `records-${n}.jsonl`),
        onRecord: (r) => void (perUrl[r.replica ?? urls[0]] = (perUrl[r.replica ?? urls[0]] ?? 0) + 1),
      });
      await target.close?.();
      const capacity = perReplica * n;
      const row = {
        replicas: n,
        calls: opts.calls,
        capacity_per_s: capacity,
        harness_per_s: Math.round(rate),
        share_of_capacity: Math.round((rate / capacity) * 100) / 100,
        calls_per_replica: perUrl,
      };
      rows.push(row);
      console.log(
        `${String(n).padStart(8)} | ${`${capacity}/s`.padStart(8)} | ${`${row.harness_per_s}/s`.padStart(31)} | ${`${Math.round(row.share_of_capacity * 100)}%`.padStart(5)} | ${Object.values(perUrl).join(' / ')}`,
      );
    }
  } finally {
    for (const s of servers) s.stop();
    rmSync(tmp, { recursive: true, force: true });
  }
  return rows;
}
