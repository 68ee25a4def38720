/**
 * The one-tool echo suite that the hostile-input tests (hostile-run, caps-run) run against a misbehaving
 * loopback server: the echo dataset, one openai target, and whatever `limits:` and invariant a test needs.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli-child.js';

export interface EchoSuiteOptions {
  /** The server's base URL without /v1. */
  url: string;
  limits?: Record<string, number>;
  /** A JSONata invariant named `check` on the echo tool (none when absent). */
  invariant?: string;
  invariantTimeout?: number;
  retries?: number;
  timeoutMs?: number;
  /** The echo tool's description (it is in every rendered prompt): a long one makes a long prompt. */
  description?: string;
  /** A tool file (`- file: PATH`) in place of the inline echo tool. */
  toolFile?: string;
}

/** Writes `DIR/NAME.yaml` and returns its path. */
export function writeEchoSuite(dir: string, name: string, o: EchoSuiteOptions): string {
  const limits = o.limits
    ? `limits:\n${Object.entries(o.limits)
        .map(([k, v]) => `  ${k}: ${v}`)
        .join('\n')}\n`
    : '';
  const invariant =
    o.invariant === undefined
      ? ''
      : `    invariants:\n      - name: check\n        expr: ${JSON.stringify(o.invariant)}\n${o.invariantTimeout ? `        timeout_ms: ${o.invariantTimeout}\n` : ''}`;
  const tool = o.toolFile
    ? `  - file: ${o.toolFile}\n`
    : `  - name: echo
    description: ${JSON.stringify(o.description ?? 'Returns its text argument unchanged.')}
    parameters: { type: object, properties: { text: { type: string } }, required: [text] }
    response_schema: { type: object, properties: { text: { type: string } }, required: [text] }
${invariant}`;
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `version: "1"
name: hostile-${name}
max_error_rate: 1
metrics: [format, logic]
${limits}tools:
${tool}datasets:
  - name: echo-calls
    path: ${join(ROOT, 'test/fixtures/serving/echo-calls.jsonl')}
targets:
  - name: gtm
    kind: openai
    base_url: ${o.url}/v1
    model: m
    prompt_template: ${join(ROOT, 'harness/prompts/gtm-tool-sim-v1.yaml')}
    sampling: { temperature: 0, max_tokens: 64 }
    concurrency: 2
    timeout_ms: ${o.timeoutMs ?? 20000}
    retries: ${o.retries ?? 0}
`,
  );
  return file;
}
