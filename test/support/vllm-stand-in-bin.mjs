#!/usr/bin/env node
// A stand-in for the `vllm` executable, for gtm-bench's serve tests: `vllm-stand-in-bin.mjs --version` and
// `vllm-stand-in-bin.mjs serve CHECKPOINT --host H --port P ...` start the loopback stand-in server
// (dev/stand-ins/vllm-stand-in.ts), which is NOT vLLM and NOT a model. The work is in vllm-stand-in-serve.ts; this file
// registers tsx so that an executable path can run TypeScript, and answers --version without it (fast).
if (process.argv.includes('--version')) {
  // Same text as STAND_IN_VERSION in dev/stand-ins/vllm-stand-in-metrics.ts (what the stand-in's /version answers).
  process.stdout.write('0.0.0+gtm-bench-stand-in (not vLLM, not a model)\n');
  process.exit(0);
}
const { register } = await import('tsx/esm/api');
register();
await import('./vllm-stand-in-serve.ts');
