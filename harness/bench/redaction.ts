/**
 * The redactor's cost per record (issue 17 item 7): every line written to records.jsonl passes
 * redactJsonText. Measured on a record-sized line (a model record with the France answer, ~3 KB) and on a
 * 1 MB answer, with no secret configured (the usual local vLLM: only the URL check runs) and with an API key
 * and URL credentials registered (the echo scan runs). The secrets are forgotten afterwards.
 */
import { Bench } from 'tinybench';
import { clearSecrets, redactJsonText, registerSecrets, registerUrlCredentials } from '../util/redact.js';

const round = (x: number) => Math.round(x * 100) / 100;

export async function redactionBench(answer: string): Promise<{ task: string; median_us: number; mean_us: number }[]> {
  const record = JSON.stringify({
    v: 1,
    item_id: '679156443a8b9b29',
    call_id: 'country-001',
    tool: 'country_info',
    target: 'gtm',
    backend: 'openai:http://127.0.0.1:8000/v1#gtm-1.5b',
    request: { messages: [{ role: 'user', content: 'Simulate country_info for {"code":"FR"}' }], sampling: { temperature: 0, max_tokens: 2048 } },
    raw: answer,
    output: JSON.parse(answer),
    scores: { 'format.parse': { value: 1, reasons: [] } },
  });
  const big = JSON.stringify({ raw: answer.repeat(Math.ceil(1_000_000 / answer.length)) });
  const tasks: [string, string][] = [
    [`record (${(record.length / 1024).toFixed(1)} KB)`, record],
    ['1 MB answer', big],
  ];
  const bench = new Bench({ time: 300 });
  for (const [name, text] of tasks) bench.add(`redact, no secret: ${name}`, () => void redactJsonText(text));
  await bench.run();
  registerSecrets(['sk-bench-7Hq2ZmX0pLw9VbN4rTy6']);
  registerUrlCredentials('http://operator:correct-horse-battery@127.0.0.1:8000/v1');
  const withSecrets = new Bench({ time: 300 });
  for (const [name, text] of tasks) withSecrets.add(`redact, key + URL credentials: ${name}`, () => void redactJsonText(text));
  await withSecrets.run();
  clearSecrets();
  const rows = [...bench.tasks, ...withSecrets.tasks].map((t) => {
    const r = t.result as { latency?: { mean: number; p50?: number } } | undefined;
    return { task: t.name, median_us: round((r?.latency?.p50 ?? NaN) * 1000), mean_us: round((r?.latency?.mean ?? NaN) * 1000) };
  });
  console.log('\nredaction of a written line (tinybench, per line):');
  for (const r of rows) console.log(`  ${r.task.padEnd(56)} median ${String(r.median_us).padStart(9)} µs  mean ${String(r.mean_us).padStart(9)} µs`);
  return rows;
}
