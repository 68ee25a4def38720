/**
 * The Prometheus text parser, the server-side figures computed from two scrapes, and the scrape of a live
 * server: the loopback stand-in serving vLLM's metric names (NOT vLLM; only the plumbing is tested).
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { histogramOf, parsePrometheusText, sumOf } from '../harness/serve/metrics/prometheus-text.js';
import { bucketQuantile, serverFigures } from '../harness/serve/metrics/server-figures.js';
import { addInvocation, coverageNote } from '../harness/serve/metrics/across-invocations.js';
import { serverSummaries } from '../harness/report/server-summary.js';
import { watchServerMetrics } from '../harness/serve/metrics/scraper.js';
import { startStandIn } from '../dev/stand-ins/vllm-stand-in.js';

// Shaped as vLLM's /metrics is (names, labels, bucket bounds), from the vLLM docs' example output.
const BEFORE = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{model_name="gtm"} 0.0
# HELP vllm:gpu_cache_usage_perc GPU KV-cache usage. 1 means 100 percent usage.
# TYPE vllm:gpu_cache_usage_perc gauge
vllm:gpu_cache_usage_perc{model_name="gtm"} 0.0
# TYPE vllm:prompt_tokens_total counter
vllm:prompt_tokens_total{model_name="gtm"} 1000.0
vllm:generation_tokens_total{model_name="gtm"} 500.0
vllm:request_success_total{finished_reason="stop",model_name="gtm"} 10.0
vllm:request_success_total{finished_reason="length",model_name="gtm"} 2.0
# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{le="0.01",model_name="gtm"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.02",model_name="gtm"} 4.0
vllm:time_to_first_token_seconds_bucket{le="0.04",model_name="gtm"} 12.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="gtm"} 12.0
vllm:time_to_first_token_seconds_count{model_name="gtm"} 12.0
vllm:time_to_first_token_seconds_sum{model_name="gtm"} 0.3
`;
const AFTER = `vllm:num_requests_running{model_name="gtm"} 0.0
vllm:gpu_cache_usage_perc{model_name="gtm"} 0.05
vllm:prompt_tokens_total{model_name="gtm"} 3000.0
vllm:generation_tokens_total{model_name="gtm"} 1500.0
vllm:request_success_total{finished_reason="stop",model_name="gtm"} 28.0
vllm:request_success_total{finished_reason="length",model_name="gtm"} 4.0
vllm:time_to_first_token_seconds_bucket{le="0.01",model_name="gtm"} 0.0
vllm:time_to_first_token_seconds_bucket{le="0.02",model_name="gtm"} 4.0
vllm:time_to_first_token_seconds_bucket{le="0.04",model_name="gtm"} 22.0
vllm:time_to_first_token_seconds_bucket{le="+Inf",model_name="gtm"} 32.0
vllm:time_to_first_token_seconds_count{model_name="gtm"} 32.0
vllm:time_to_first_token_seconds_sum{model_name="gtm"} 1.9
`;

test('the text format: labels with escapes, +Inf, NaN, comments; a malformed line is counted, not fatal', () => {
  const e = parsePrometheusText(
    [
      '# HELP x A help line with "quotes"',
      '# TYPE x gauge',
      'x{path="C:\\\\dir",say="a \\"b\\"\\nc"} 1.5 1700000000000',
      'x{path="y"} NaN',
      'y_bucket{le="+Inf"} 3',
      'y_bucket{le="0.5"} 1',
      'y_count 3',
      'y_sum 2.5',
      'not a sample line',
      'z{unterminated="x} 1',
    ].join('\n'),
  );
  assert.is(e.types.x, 'gauge');
  assert.equal(e.samples[0], { name: 'x', labels: { path: 'C:\\dir', say: 'a "b"\nc' }, value: 1.5 });
  assert.ok(Number.isNaN(e.samples[1].value));
  assert.is(e.malformed, 2);
  assert.equal(histogramOf(e, 'y'), {
    buckets: [
      { le: 0.5, count: 1 },
      { le: Infinity, count: 3 },
    ],
    sum: 2.5,
    count: 3,
  });
});

test('quantiles interpolate inside buckets as histogram_quantile does', () => {
  const buckets = [
    { le: 0.1, count: 50 },
    { le: 0.2, count: 100 },
    { le: Infinity, count: 100 },
  ];
  assert.is(bucketQuantile(0.5, buckets), 0.1);
  assert.ok(Math.abs(bucketQuantile(0.75, buckets)! - 0.15) < 1e-12);
  assert.is(bucketQuantile(0.5, [{ le: Infinity, count: 0 }]), null);
  // A rank in the +Inf bucket answers the highest finite bound.
  assert.is(
    bucketQuantile(0.99, [
      { le: 0.1, count: 1 },
      { le: Infinity, count: 10 },
    ]),
    0.1,
  );
});

test("figures are the run's own: counters and histograms as after minus before, gauges sampled", () => {
  const before = parsePrometheusText(BEFORE);
  const after = parsePrometheusText(AFTER);
  const during = [parsePrometheusText('vllm:gpu_cache_usage_perc{model_name="gtm"} 0.4\nvllm:num_requests_running{model_name="gtm"} 7')];
  const f = serverFigures(before, after, during, 4);
  assert.is(f.requests, 20);
  assert.is(f.prompt_tokens, 2000);
  assert.is(f.generation_tokens, 1000);
  assert.is(f.prompt_throughput_tok_s, 500);
  assert.is(f.generation_throughput_tok_s, 250);
  assert.is(f.ttft_s!.count, 20);
  assert.is(f.ttft_s!.mean, 0.08); // (1.9 - 0.3) / 20
  // Of the run's 20: 10 in (0.02, 0.04], 10 above 0.04: the median is the top of the 0.04 bucket.
  assert.is(f.ttft_s!.p50, 0.04);
  assert.equal(f.kv_cache_usage, { metric: 'vllm:gpu_cache_usage_perc', mean: 0.15, max: 0.4, samples: 3 });
  assert.is(f.requests_running!.max, 7);
  assert.is(f.tpot_s, null);
  assert.equal(f.notes, []);
  // A counter that went down (the server restarted between the scrapes) is not reported as a negative rate.
  const restarted = serverFigures(after, before, [], 4);
  assert.is(restarted.prompt_tokens, null);
  assert.match(restarted.notes.join(' '), /vllm:prompt_tokens_total went down/);
});

test('a resumed run: each invocation adds its own differences; traffic between invocations is not counted', () => {
  const scrape = (text: string) => parsePrometheusText(text);
  // Invocation 2 starts after someone else made 8 requests (32 -> 40) and makes 10 of its own (40 -> 50).
  const between = AFTER.replace(/ 28\.0/, ' 36.0').replace(/ 3000\.0/, ' 3500.0');
  const end = between
    .replace(/ 36\.0/, ' 46.0')
    .replace(/ 3500\.0/, ' 4500.0')
    .replace('le="0.02",model_name="gtm"} 4.0', 'le="0.02",model_name="gtm"} 14.0')
    .replace('le="0.04",model_name="gtm"} 22.0', 'le="0.04",model_name="gtm"} 32.0')
    .replace('le="+Inf",model_name="gtm"} 32.0', 'le="+Inf",model_name="gtm"} 42.0')
    .replace('_count{model_name="gtm"} 32.0', '_count{model_name="gtm"} 42.0')
    .replace('_sum{model_name="gtm"} 1.9', '_sum{model_name="gtm"} 2.05');
  const entry = (before: string, after: string, windowS: number, kv: number) => ({
    url: 'http://127.0.0.1:8000',
    targets: ['gtm'],
    server: '/version: 0.9.0',
    before_at: 't0',
    after_at: 't1',
    figures: {
      ...serverFigures(scrape(before), scrape(after), [], windowS),
      kv_cache_usage: { metric: 'vllm:gpu_cache_usage_perc', mean: kv, max: kv, samples: 2 },
    },
    before: scrape(before).samples,
    after: scrape(after).samples,
  });
  const first = addInvocation(undefined, [entry(BEFORE, AFTER, 4, 0.2)]);
  assert.is(first.invocations, undefined, 'a single invocation is written as before');
  assert.is(first.servers[0].figures.requests, 20);
  const both = addInvocation(first, [entry(between, end, 6, 0.4)]);
  assert.is(both.invocations!.length, 2);
  const f = both.servers[0].figures;
  assert.is(both.servers[0].invocations, 2);
  assert.is(f.requests, 30, "20 + 10: the 8 requests between the invocations are not the run's");
  assert.is(f.prompt_tokens, 3000);
  assert.is(f.window_s, 10);
  assert.is(f.prompt_throughput_tok_s, 300);
  assert.is(f.ttft_s!.count, 30);
  assert.is(f.ttft_s!.mean, 0.058333); // (1.6 + 0.15) / 30, rounded to 6 places
  // Of 30: 10 at or below 0.02 (all from invocation 2), 10 in (0.02, 0.04], 10 above: the median is 0.03.
  assert.is(f.ttft_s!.p50, 0.03);
  assert.equal(f.kv_cache_usage, { metric: 'vllm:gpu_cache_usage_perc', mean: 0.3, max: 0.4, samples: 4 });
  assert.match(f.notes.join(' '), /summed over 2 invocations of this run/);
  // A third invocation that was killed before its closing scrape: the summary says the figures miss it.
  assert.is(coverageNote(both, 2), undefined);
  assert.match(coverageNote(both, 3)!, /cover 2 of the run's 3 invocations: 1 ended without the closing scrape/);
  assert.match(serverSummaries(both, { resumed: [{}, {}] })![0].notes.join(' '), /cover 2 of the run's 3 invocations/);
});

test("scraping a live server: the stand-in's /metrics before and after 6 calls", async () => {
  const server = await startStandIn({ models: ['gtm'], metrics: true, latencyMs: 5, maxConcurrent: 2 });
  const plain = await startStandIn({ models: ['gtm'] });
  try {
    const watch = await watchServerMetrics(
      [
        { url: server.url, targets: ['gtm'] },
        { url: plain.url, targets: ['other'] },
      ],
      { interval_ms: 5 },
    );
    assert.equal(watch.watching, [server.url]);
    const body = JSON.stringify({ model: 'gtm', messages: [{ role: 'user', content: 'one two three' }] });
    await Promise.all(
      Array.from({ length: 6 }, () =>
        fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }).then((r) => r.json()),
      ),
    );
    const [entry, ...rest] = await watch.stop();
    assert.is(rest.length, 0, 'a server without /metrics is left out');
    assert.is(entry.url, server.url);
    assert.match(entry.server!, /^\/version: 0\.0\.0\+gtm-bench-stand-in \(not vLLM/);
    const f = entry.figures;
    assert.is(f.requests, 6);
    assert.is(f.prompt_tokens, 18);
    assert.is(f.ttft_s!.count, 6);
    assert.is(f.queue_time_s!.count, 6);
    assert.is(f.e2e_latency_s!.count, 6);
    assert.ok(f.e2e_latency_s!.mean! >= 0.005);
    // maxConcurrent 2: four of the six waited in the queue.
    assert.ok(f.queue_time_s!.mean! > 0);
    assert.ok(entry.after!.some((s) => s.name === 'vllm:kv_cache_usage_perc'));
    assert.is(sumOf({ samples: entry.after!, types: {}, malformed: 0 }, 'vllm:num_requests_running'), 0);
  } finally {
    await server.close();
    await plain.close();
  }
});

test.run();
