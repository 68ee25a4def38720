#!/usr/bin/env node
// Runs every test/**/*.test.ts with uvu (through tsx) and ends with the plain `N passed, N failed` line that
// CI reads. uvu prints Total/Passed/Skipped but no failed count, and nothing at all when a test file throws
// on import; both cases are turned into an honest count here, and the exit code follows the failures.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const uvuBin = join(root, 'node_modules', 'uvu', 'bin.js');
const pattern = process.argv[2] ?? '\\.test\\.ts$';

// Colours off with NO_COLOR alone. uvu sets FORCE_COLOR=1 itself unless told --no-color, and NO_COLOR beside
// FORCE_COLOR made Node warn on every run ("The 'NO_COLOR' env is ignored due to the 'FORCE_COLOR' env being
// set"), in the runner and in every child a test starts with its environment; an inherited one is dropped too.
const { FORCE_COLOR: _forced, ...inherited } = process.env;
// Tests see the composition root (target kinds, dialects, suite sections) as the CLI does: bin/ loads it first.
const child = spawn(process.execPath, ['--import', 'tsx', '--import', join(root, 'harness', 'builtin.ts'), uvuBin, 'test', pattern, '--no-color'], {
  cwd: root,
  env: { ...inherited, NO_COLOR: '1' },
  stdio: ['ignore', 'pipe', 'pipe'],
});
let out = '';
child.stdout.on('data', (d) => {
  out += d;
  process.stdout.write(d);
});
child.stderr.on('data', (d) => {
  out += d;
  process.stderr.write(d);
});
child.on('close', (code) => {
  const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
  const num = (label) => {
    const m = [...plain.matchAll(new RegExp(`^\\s*${label}:\\s+(\\d+)`, 'gm'))].pop();
    return m ? Number(m[1]) : null;
  };
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped') ?? 0;
  let failed;
  if (total === null || passed === null) {
    // No summary: a test file threw on import, or uvu crashed. Count it as one failure, never as a pass.
    failed = 1;
    process.stdout.write(`\nuvu printed no summary (exit code ${code}); a test file probably failed to load\n`);
  } else {
    // uvu's Total counts the tests it ran; test.skip() ones are only in Skipped, so they are not subtracted.
    failed = total - passed;
    if (failed === 0 && code !== 0) failed = 1;
  }
  // CI reads the last line, so it is exactly `N passed, N failed`; skips (GPU-only tests here) go on the line before.
  if (skipped) process.stdout.write(`\n${skipped} skipped (each printed its reason above)`);
  process.stdout.write(`\n${passed ?? 0} passed, ${failed} failed\n`);
  process.exit(failed > 0 ? 1 : 0);
});
