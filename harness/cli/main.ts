/**
 * The gtm-bench command line. One file per command under cli/; this one only parses and dispatches, and
 * turns errors into exit codes: 2 for bad input (printed without a stack), 1 for a run that failed its
 * tolerance, 70 for a harness bug (with its stack, since that is ours to fix).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError } from '../util/errors.js';
import { runCommand } from './run.js';
import { validateCommand } from './validate.js';
import { reportCommand } from './report.js';
import { targetsCommand } from './targets.js';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${value}"`);
    return n;
  };
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];

const program = new Command('gtm-bench')
  .description('Benchmark and evaluation harness for tool simulators (GTM, arXiv 2512.04535)')
  .showHelpAfterError()
  .exitOverride();

program
  .command('run')
  .description('run a suite: every (call, target, repeat), scored, into a run folder')
  .argument('<suite>', 'suite file (YAML or JSON)')
  .option('--target <name>', 'run only this target (repeatable, or comma-separated)', collect)
  .option('--base-url <url>', 'base URL for the selected openai targets (e.g. http://127.0.0.1:8000/v1)')
  .option('--model <name>', 'model name for the selected openai targets')
  .option('--limit <n>', 'only the first N dataset calls', integer(1))
  .option('--concurrency <n>', 'concurrent calls per target (overrides the suite)', integer(1))
  .option('--seed <n>', 'suite seed (overrides the suite)', integer(0))
  .option('--out <dir>', 'run folder (default reports/runs/<suite>-<time>)')
  .option('--quiet', 'no progress output')
  .action(runCommand);

program
  .command('validate')
  .description('check a suite file and its datasets against the published schema; exit 2 on any problem')
  .argument('<suite>', 'suite file (YAML or JSON)')
  .action(validateCommand);

program
  .command('report')
  .description("recompute a run folder's summary and reports from its records.jsonl and manifest.json")
  .argument('<run-dir>', 'run folder')
  .action(reportCommand);

program.command('targets').description('list the registered target kinds').action(targetsCommand);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help and --version end here too, with exit code 0.
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UserError) {
    process.stderr.write(`gtm-bench: ${err.render()}\n`);
    process.exitCode = err.exitCode;
  } else {
    process.stderr.write(`gtm-bench: internal error (a bug in gtm-bench, please report it):\n${(err as Error)?.stack ?? err}\n`);
    process.exitCode = 70;
  }
}
