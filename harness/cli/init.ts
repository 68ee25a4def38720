/**
 * `gtm-bench init [DIR]`: a starter suite that runs as it is (`gtm-bench run DIR/suite.yaml`): one tool file
 * (a unit converter whose answers a reader can check by hand), a five-row dataset with recorded references,
 * one of them an invalid call the tool must refuse, and three targets: the reference and schema-faker
 * baselines (which need nothing) and a gtm model target that is reported as not configured until
 * GTM_BASE_URL and GTM_MODEL are set. The prompt template is copied in, so the folder stands alone.
 * Existing files are never overwritten (exit 2 naming them).
 */
import { displayPath } from '../util/display-path.js';
import { copyFileSync, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DEFAULT_PROMPT_TEMPLATE } from '../targets/openai.js';
import { UserError } from '../util/errors.js';

const SUITE = `# A starter gtm-bench suite written by \`gtm-bench init\`. Run it with: gtm-bench run suite.yaml
# Targets: reference replays the recorded answers (the upper bound), schema-faker invents schema-valid ones
# (the lower bound), gtm is your simulator on any OpenAI-compatible server: set GTM_BASE_URL and GTM_MODEL.
version: "1"
name: starter
description: Starter suite - one tool, five recorded calls (one invalid), two baselines and a model target.
seed: 1
repeats: 1
max_error_rate: 0.05
metrics: [format, logic, semantic]
tools:
  - file: tools/convert_length.yaml
datasets:
  - name: calls
    path: data/calls.jsonl
targets:
  - name: reference
    kind: baseline:reference
  - name: schema-faker
    kind: baseline:schema-faker
  - name: gtm
    kind: openai
    base_url: \${GTM_BASE_URL}
    model: \${GTM_MODEL}
    api_key_env: GTM_API_KEY
    api: chat
    prompt_template: prompts/gtm-tool-sim-v1.yaml
    sampling: { temperature: 0, max_tokens: 256 }
    concurrency: 8
    timeout_ms: 60000
    retries: 2
`;

const TOOL = `# One tool in gtm-bench's tool template: what it takes, what it answers, what must hold of every answer.
name: convert_length
description: Converts a length between metres, kilometres, miles and feet. The value must not be negative.
parameters:
  type: object
  properties:
    value: { type: number }
    from: { enum: [m, km, mi, ft] }
    to: { enum: [m, km, mi, ft] }
  required: [value, from, to]
  additionalProperties: false
response_schema:
  type: object
  properties:
    value: { type: number, minimum: 0 }
    unit: { enum: [m, km, mi, ft] }
  required: [value, unit]
  additionalProperties: false
error_schema:
  type: object
  properties:
    error:
      type: object
      properties:
        code: { enum: [INVALID_ARGUMENT] }
        message: { type: string }
      required: [code, message]
  required: [error]
invariants:
  - name: unit_is_the_one_asked
    expr: "output.unit = args.to"
semantic:
  deterministic: [unit, "error.code"]
  ignore: ["error.message"]
  numeric_tolerance: 0.01
`;

const ROWS = [
  { id: 'len-1', tool: 'convert_length', arguments: { value: 1, from: 'km', to: 'm' }, reference: { value: 1000, unit: 'm' }, expect_error: false },
  { id: 'len-2', tool: 'convert_length', arguments: { value: 1, from: 'mi', to: 'km' }, reference: { value: 1.609344, unit: 'km' }, expect_error: false },
  { id: 'len-3', tool: 'convert_length', arguments: { value: 10, from: 'ft', to: 'm' }, reference: { value: 3.048, unit: 'm' }, expect_error: false },
  { id: 'len-4', tool: 'convert_length', arguments: { value: 5000, from: 'm', to: 'mi' }, reference: { value: 3.106856, unit: 'mi' }, expect_error: false },
  {
    id: 'len-5-invalid',
    tool: 'convert_length',
    arguments: { value: -3, from: 'm', to: 'ft' },
    reference: { error: { code: 'INVALID_ARGUMENT', message: 'value must not be negative' } },
    expect_error: true,
  },
];

export async function initCommand(dirArg: string | undefined): Promise<void> {
  const dir = resolve(dirArg ?? '.');
  const files: [string, string | (() => void)][] = [
    ['suite.yaml', SUITE],
    ['tools/convert_length.yaml', TOOL],
    ['data/calls.jsonl', ROWS.map((r) => JSON.stringify(r)).join('\n') + '\n'],
    ['prompts/gtm-tool-sim-v1.yaml', () => copyFileSync(DEFAULT_PROMPT_TEMPLATE, join(dir, 'prompts/gtm-tool-sim-v1.yaml'))],
  ];
  // A DIR that is a file (a typo, `init README.md`) crashed in mkdir with exit 70; it is bad input.
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new UserError(`init ${dirArg}: not a folder; give an empty or new folder`);
  const existing = files.map(([f]) => f).filter((f) => existsSync(join(dir, f)));
  if (existing.length) {
    throw new UserError(
      `init ${dirArg ?? '.'}: ${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''}; give an empty or new folder (nothing was written)`,
    );
  }
  for (const [file, content] of files) {
    mkdirSync(join(dir, file, '..'), { recursive: true });
    if (typeof content === 'string') writeFileSync(join(dir, file), content);
    else content();
  }
  const shown = displayPath(dir);
  process.stdout.write(`wrote a starter suite in ${shown}: ${files.map(([f]) => f).join(', ')}\n`);
  process.stdout.write(`run it: gtm-bench run ${join(shown, 'suite.yaml')}   (set GTM_BASE_URL and GTM_MODEL to add your simulator)\n`);
}
