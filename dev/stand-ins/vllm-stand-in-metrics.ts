/**
 * The loopback stand-in's /metrics: a faithful subset of the names, types, labels and bucket bounds vLLM's
 * Prometheus endpoint uses (docs.vllm.ai "Production Metrics"; vllm/docs/design/metrics.md), filled with
 * what the stand-in really did: its request counts, its whitespace token counts, and its own timings
 * (arrival to first byte, queue wait under maxConcurrent, arrival to last byte). It is not a model and has
 * no KV cache: `vllm:kv_cache_usage_perc` is the tokens of the requests in flight over a nominal
 * 65,536-token cache, said so in its HELP line. Numbers from here only ever test the scrape plumbing.
 */

const TTFT_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];
const TPOT_BUCKETS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5];
const LATENCY_BUCKETS = [0.01, 0.025, 0.05, 0.1, 0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 60];
const TOKEN_BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000];
const NOMINAL_CACHE_TOKENS = 65536;

class Histogram {
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly bounds: number[]) {
    this.counts = bounds.map(() => 0);
  }
  observe(x: number): void {
    this.sum += x;
    this.count++;
    for (let i = 0; i < this.bounds.length; i++) if (x <= this.bounds[i]) this.counts[i]++;
  }
  render(name: string, help: string, label: string): string[] {
    const lines = [`# HELP ${name} ${help}`, `# TYPE ${name} histogram`];
    // prometheus_client writes bounds as Python floats: 1.0, 0.25, 0.001.
    this.bounds.forEach((le, i) =>
      lines.push(`${name}_bucket{le="${Number.isInteger(le) ? le.toFixed(1) : String(le)}",${label}} ${this.counts[i].toFixed(1)}`),
    );
    lines.push(`${name}_bucket{le="+Inf",${label}} ${this.count.toFixed(1)}`);
    lines.push(`${name}_count{${label}} ${this.count.toFixed(1)}`);
    lines.push(`${name}_sum{${label}} ${this.sum}`);
    return lines;
  }
}

/** One completion request as the stand-in answers it. */
export interface RequestTimer {
  /** The request got a slot (after waiting in the queue, when maxConcurrent is set). */
  scheduled(): void;
  /** The first token (the first stream chunk, or the whole non-streamed body) is being sent. */
  firstToken(): void;
  /** Answered: its token counts and finish reason. */
  done(promptTokens: number, completionTokens: number, finishReason: string): void;
  /** The request ended (answered, failed or dropped); idempotent. */
  end(): void;
}

export class StandInMetrics {
  #waiting = 0;
  #running = 0;
  #tokensInFlight = 0;
  #prompt = 0;
  #generation = 0;
  readonly #success = new Map<string, number>();
  readonly #ttft = new Histogram(TTFT_BUCKETS);
  readonly #tpot = new Histogram(TPOT_BUCKETS);
  readonly #itl = new Histogram(TPOT_BUCKETS);
  readonly #e2e = new Histogram(LATENCY_BUCKETS);
  readonly #queue = new Histogram(LATENCY_BUCKETS);
  readonly #promptTokens = new Histogram(TOKEN_BUCKETS);
  readonly #generationTokens = new Histogram(TOKEN_BUCKETS);

  constructor(readonly model: string) {}

  begin(): RequestTimer {
    const arrived = performance.now();
    let scheduledAt: number | undefined;
    let firstAt: number | undefined;
    let inFlight = 0;
    let ended = false;
    this.#waiting++;
    return {
      scheduled: () => {
        if (scheduledAt !== undefined) return;
        scheduledAt = performance.now();
        this.#waiting--;
        this.#running++;
        this.#queue.observe((scheduledAt - arrived) / 1000);
      },
      firstToken: () => {
        firstAt ??= performance.now();
      },
      done: (promptTokens, completionTokens, finishReason) => {
        const now = performance.now();
        const first = firstAt ?? now;
        this.#prompt += promptTokens;
        this.#generation += completionTokens;
        this.#success.set(finishReason, (this.#success.get(finishReason) ?? 0) + 1);
        this.#ttft.observe((first - arrived) / 1000);
        this.#e2e.observe((now - arrived) / 1000);
        this.#promptTokens.observe(promptTokens);
        this.#generationTokens.observe(completionTokens);
        if (completionTokens > 1) {
          const tpot = (now - first) / 1000 / (completionTokens - 1);
          this.#tpot.observe(tpot);
          for (let i = 1; i < completionTokens; i++) this.#itl.observe(tpot);
        }
        inFlight = promptTokens + completionTokens;
        this.#tokensInFlight += inFlight;
        // Held for the rest of the request (the send), as a KV cache holds a sequence until it finishes.
      },
      end: () => {
        if (ended) return;
        ended = true;
        if (scheduledAt === undefined) this.#waiting--;
        else this.#running--;
        this.#tokensInFlight -= inFlight;
      },
    };
  }

  render(): string {
    const label = `model_name="${this.model.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    const out: string[] = [];
    const gauge = (name: string, help: string, v: number) => out.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, `${name}{${label}} ${v.toFixed(1)}`);
    const counter = (name: string, help: string, v: number) =>
      out.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name}{${label}} ${v.toFixed(1)}`);
    gauge('vllm:num_requests_running', 'Number of requests in model execution batches.', this.#running);
    gauge('vllm:num_requests_waiting', 'Number of requests waiting to be processed.', this.#waiting);
    out.push(
      '# HELP vllm:kv_cache_usage_perc KV-cache usage. 1 means 100 percent usage. (gtm-bench stand-in: tokens in flight over a nominal 65536-token cache; not a real KV cache)',
      '# TYPE vllm:kv_cache_usage_perc gauge',
      `vllm:kv_cache_usage_perc{${label}} ${Math.min(1, this.#tokensInFlight / NOMINAL_CACHE_TOKENS)}`,
    );
    counter('vllm:prompt_tokens_total', 'Number of prefill tokens processed.', this.#prompt);
    counter('vllm:generation_tokens_total', 'Number of generation tokens processed.', this.#generation);
    out.push('# HELP vllm:request_success_total Count of successfully processed requests.', '# TYPE vllm:request_success_total counter');
    for (const reason of ['stop', 'length', 'abort', ...[...this.#success.keys()].filter((r) => !['stop', 'length', 'abort'].includes(r))]) {
      out.push(`vllm:request_success_total{finished_reason="${reason}",${label}} ${(this.#success.get(reason) ?? 0).toFixed(1)}`);
    }
    out.push(...this.#ttft.render('vllm:time_to_first_token_seconds', 'Histogram of time to first token in seconds.', label));
    out.push(...this.#tpot.render('vllm:request_time_per_output_token_seconds', 'Histogram of time_per_output_token_seconds per request.', label));
    out.push(...this.#itl.render('vllm:inter_token_latency_seconds', 'Histogram of inter-token latency in seconds.', label));
    out.push(...this.#e2e.render('vllm:e2e_request_latency_seconds', 'Histogram of e2e request latency in seconds.', label));
    out.push(...this.#queue.render('vllm:request_queue_time_seconds', 'Histogram of time spent in WAITING phase for request.', label));
    out.push(...this.#promptTokens.render('vllm:request_prompt_tokens', 'Number of prefill tokens processed.', label));
    out.push(...this.#generationTokens.render('vllm:request_generation_tokens', 'Number of generation tokens processed.', label));
    return out.join('\n') + '\n';
  }
}

/** What the stand-in answers on /version (vLLM answers `{"version": "0.x.y"}`): never a vLLM version. */
export const STAND_IN_VERSION = '0.0.0+gtm-bench-stand-in (not vLLM, not a model)';
