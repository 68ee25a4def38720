/** What `gtm-bench run` prints about the serving side of a run: cache, resume, replay, server figures, a dead server. */
import { fmt } from '../report/format-number.js';
import type { RunSuiteResult } from '../run/run-suite.js';
import { resumeCommand } from './run-ending.js';

export function printServing(result: RunSuiteResult): void {
  const m = result.manifest;
  const out = (line: string) => process.stdout.write(line + '\n');
  if (m.plan.shard) out(`shard ${m.plan.shard.index}/${m.plan.shard.count}: ${m.plan.items} of ${m.plan.total_items} planned items`);
  const resumed = m.resumed?.at(-1);
  if (resumed)
    out(
      `resumed: ${resumed.records_kept} records kept, ${resumed.records_dropped} dropped to run again, ${resumed.remaining} items run now${resumed.torn_tail ? `; ${resumed.torn_tail}` : ''}`,
    );
  if (m.replay_of)
    out(
      `replayed ${m.replay_of.run_id}: ${m.replay_of.from_records} items from its records, ${m.replay_of.from_cache} from the cache, ${m.replay_of.missing} in neither (failed calls)`,
    );
  if (m.cache && m.cache.mode !== 'off')
    out(`response cache (${m.cache.mode}, ${m.cache.path}): ${m.cache.hits} hits, ${m.cache.misses} misses, ${m.cache.stored} stored`);
  if (m.serve?.stopped) out(`vLLM server stopped (${m.serve.stopped.how}, ${m.serve.stopped.after_ms} ms); its log: vllm.log`);
  for (const s of result.summary.server ?? []) {
    const parts = [
      `${s.requests ?? '–'} requests`,
      `${fmt(s.prompt_throughput_tok_s, 1)} prompt tok/s`,
      `${fmt(s.generation_throughput_tok_s, 1)} generation tok/s`,
      s.ttft_s?.p50 != null ? `TTFT p50 ${fmt(s.ttft_s.p50 * 1000, 1)} ms` : undefined,
      s.queue_time_s?.mean != null ? `queue mean ${fmt(s.queue_time_s.mean * 1000, 1)} ms` : undefined,
      s.kv_cache_usage ? `KV cache max ${fmt(s.kv_cache_usage.max * 100, 1)}%` : undefined,
    ].filter(Boolean);
    out(`server ${s.url} (${s.server ?? 'unknown server'}): ${parts.join(', ')}`);
  }
  if (result.serverFailure) {
    process.stderr.write(`gtm-bench: ${result.serverFailure}\n`);
    process.stderr.write(`the records written so far are kept; continue with: ${resumeCommand(process.argv.slice(2), result.runDir)}\n`);
  }
}
