/**
 * Progress for a run: a bar on a terminal, plain lines (every 10% or 5 s) when stdout is not a TTY or
 * CI=true, so logs stay readable. Written to stderr so stdout keeps only the results.
 */
import cliProgress from 'cli-progress';
import type { Progress } from '../run/progress.js';

export function createProgress(opts: { interactive: boolean; quiet?: boolean }): Progress {
  if (opts.quiet) return { start() {}, tick() {}, stop() {} };
  let total = 0;
  let done = 0;
  let errors = 0;
  let startedAt = 0;
  const rate = () => (done / Math.max(1e-3, (performance.now() - startedAt) / 1000)).toFixed(0);
  if (opts.interactive) {
    const bar = new cliProgress.SingleBar(
      {
        format: 'running [{bar}] {value}/{total} {percentage}% | {errors} errors | {rate} calls/s | eta {eta_formatted}',
        stream: process.stderr,
        hideCursor: true,
      },
      cliProgress.Presets.shades_classic,
    );
    return {
      start(n) {
        total = n;
        startedAt = performance.now();
        bar.start(total, 0, { errors: 0, rate: '0' });
      },
      tick(record) {
        done++;
        if (record.error) errors++;
        bar.update(done, { errors, rate: rate() });
      },
      stop() {
        bar.stop();
      },
    };
  }
  let lastLine = 0;
  let lastDecile = 0;
  const line = () => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    process.stderr.write(`progress: ${done}/${total} (${pct}%) ${errors} errors ${rate()} calls/s\n`);
    lastLine = performance.now();
  };
  return {
    start(n) {
      total = n;
      startedAt = lastLine = performance.now();
      line();
    },
    tick(record) {
      done++;
      if (record.error) errors++;
      const decile = Math.floor((done / total) * 10);
      if (decile > lastDecile || performance.now() - lastLine > 5000) {
        lastDecile = decile;
        if (done < total) line();
      }
    },
    stop() {
      line();
    },
  };
}
