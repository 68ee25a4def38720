/**
 * The `vllm` stand-in executable's behaviour (run through vllm-stand-in-bin.mjs). It takes `vllm serve`'s
 * arguments (checkpoint, --host, --port, --served-model-name, --tensor-parallel-size; other vLLM flags are
 * accepted and ignored) and serves the loopback stand-in with /metrics on that port, answering each
 * completion with echo-responder.ts (the prompt's `text` argument echoed back as `{"text": ...}`).
 * Like vLLM it runs a helper process (vLLM's engine core) in its process group. Modes for the tests:
 *   --stand-in-slow-start-ms MS   wait MS before listening (a checkpoint that loads slowly)
 *   --stand-in-fail-start         print an error and exit 1 without listening (a bad checkpoint)
 *   --stand-in-crash-after N      exit 1 on the (N+1)th completion, mid-request (a crash during the run)
 *   --stand-in-ignore-sigterm     the server and its helper ignore SIGTERM (only SIGKILL stops them)
 *   --stand-in-latency-ms MS      added latency per completion
 *   --stand-in-pidfile FILE       write {"server": pid, "helper": pid} there once the helper runs
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { startStandIn } from '../../dev/stand-ins/vllm-stand-in.js';
import { STAND_IN_VERSION } from '../../dev/stand-ins/vllm-stand-in-metrics.js';
import { echoResponse } from './echo-responder.js';

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const value = (name: string) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (flag('--version')) {
  process.stdout.write(`${STAND_IN_VERSION}\n`);
  process.exit(0);
}
if (argv[0] !== 'serve' || !argv[1]) {
  process.stderr.write('usage: vllm-stand-in serve CHECKPOINT --port P [--host H] [--served-model-name N]\n');
  process.exit(2);
}
const checkpoint = argv[1];
const model = value('--served-model-name') ?? checkpoint;
const port = Number(value('--port') ?? 8000);
const ignoreSigterm = flag('--stand-in-ignore-sigterm');
process.stderr.write(`INFO stand-in for vllm serve ${checkpoint} (NOT vLLM, not a model) as ${model} on port ${port}\n`);

if (flag('--stand-in-fail-start')) {
  process.stderr.write('ERROR stand-in: failing to start as asked (--stand-in-fail-start): ValueError: no model weights\n');
  process.exit(1);
}
// vLLM's engine core: a second process in the same group, which must not outlive a stop.
const helper = spawn(process.execPath, ['-e', `${ignoreSigterm ? "process.on('SIGTERM', () => {});" : ''} setInterval(() => {}, 1000);`], { stdio: 'ignore' });
const pidfile = value('--stand-in-pidfile');
if (pidfile) writeFileSync(pidfile, JSON.stringify({ server: process.pid, helper: helper.pid }));
if (ignoreSigterm) {
  process.on('SIGTERM', () => process.stderr.write('WARNING stand-in: ignoring SIGTERM as asked (--stand-in-ignore-sigterm)\n'));
}
const slow = Number(value('--stand-in-slow-start-ms') ?? 0);
if (slow > 0) await sleep(slow);

const crashAfter = value('--stand-in-crash-after');
let completions = 0;
const server = await startStandIn({
  models: [model],
  port,
  metrics: true,
  latencyMs: Number(value('--stand-in-latency-ms') ?? 0),
  respond: (req) => {
    if (crashAfter !== undefined && ++completions > Number(crashAfter)) {
      process.stderr.write(`ERROR stand-in: crashing after ${crashAfter} completions as asked (--stand-in-crash-after)\n`);
      process.exit(1);
    }
    return echoResponse(req);
  },
});
process.stderr.write(`INFO stand-in: Uvicorn running on http://127.0.0.1:${server.port}\n`);
if (!ignoreSigterm) {
  process.on('SIGTERM', async () => {
    process.stderr.write('INFO stand-in: shutting down on SIGTERM\n');
    helper.kill('SIGTERM');
    await server.close();
    process.exit(0);
  });
}
