/**
 * The gtm-bench command line. One file per command under cli/; this one only parses and dispatches, and
 * turns errors into exit codes: 2 for bad input (printed without a stack), 1 for a run that failed its
 * tolerance, 70 for a harness bug (with its stack, since that is ours to fix).
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UserError } from '../util/errors.js';
import { versionLine } from './version.js';
import { parseShard } from '../plan/shard.js';
import { parseCacheMode } from '../records/cache/response-store.js';
import { redactTerminalOutput } from './redacted-output.js';

function integer(min: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${value}"`);
    return n;
  };
}

/**
 * A command's module, imported only when that command runs: start-up then loads what one command needs, not
 * every command's dependencies (the report renderers' vega alone costs ~250 ms of CPU at import). The
 * composition root (target kinds, dialects, suite sections) is loaded with it, before the command, so any
 * command that reads a suite finds every section's builder, and --version and --help load none of it.
 */
function lazy<M, K extends keyof M>(load: () => Promise<M>, name: K) {
  return async (...args: unknown[]): Promise<void> => {
    await import('../builtin.js');
    await ((await load())[name] as (...a: unknown[]) => unknown)(...args);
  };
}

function limitMode(value: string): 'stratified' | 'first' {
  if (value === 'stratified' || value === 'first') return value;
  throw new Error(`expected stratified or first, got "${value}"`);
}

const collect = (value: string, previous: string[] = []) => [...previous, ...value.split(',').filter(Boolean)];
const GROUP_BY_HELP =
  'break every metric down by a dataset row field or tag: dataset, tool, expect_error, tag, or a tag key such as level for tags level:<value> (repeatable, or comma-separated)';

/** A parser that throws UserError, as commander wants it: its message becomes the option's error. */
function parsed<T>(parse: (value: string) => T) {
  return (value: string): T => {
    try {
      return parse(value);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  };
}

const program = new Command('gtm-bench')
  .description('Benchmark and evaluation harness for tool simulators (GTM, arXiv 2512.04535)')
  .version(versionLine(), '-V, --version', 'print the version and how the CLI was started (compiled build or sources)')
  .exitOverride();

program
  .command('run')
  .description('run a suite: every (call, target, repeat), scored, into a run folder')
  .argument('<suite>', 'suite file (YAML or JSON)')
  .option('--target <name>', 'run only this target (repeatable, or comma-separated)', collect)
  .option('--base-url <url>', 'base URL for the selected openai targets (e.g. http://127.0.0.1:8000/v1)')
  .option('--model <name>', 'model name for the selected openai targets')
  .option('--limit <n>', 'only N dataset calls: a sample stratified by tool and valid/invalid call (see --limit-mode)', integer(1))
  .option('--limit-mode <mode>', 'how --limit picks its calls: stratified (default) or first (the first N in file order)', parsed(limitMode))
  .option('--concurrency <n>', 'concurrent calls per target (overrides the suite)', integer(1))
  .option('--score-workers <n>', 'worker threads that parse and score answers off the event loop (default: cores - 1; 0 on 2 cores or fewer)', integer(0))
  .option('--seed <n>', 'suite seed (overrides the suite)', integer(0))
  .option('--out <dir>', 'run folder (default ./reports/runs/<suite>-<time>)')
  .option('--quiet', 'no progress output')
  .option('--against <file>', "check the run against an accepted baseline (baselines/FILE) with the suite's gates; exit 1 on a regression")
  .option('--allow-different-data', "with --against: compare even when the suite or dataset files differ from the baseline's")
  .option('--history <file>', "append the run's summary to this nightly history file (e.g. reports/history.jsonl)")
  .option('--shard <i/n>', 'run only shard I of N (0-based; calls dealt round-robin), e.g. --shard $JOB_COMPLETION_INDEX/4', parsed(parseShard))
  .option('--cache <mode>', 'response cache for model targets: read-write, read-only or off (default off)', parsed(parseCacheMode))
  .option('--resume <run-dir>', 'continue the run in RUN_DIR (stopped, crashed or killed): recorded items are not called again')
  .option('--retry-errors', 'with --resume: also call again the items whose record is a failed call')
  .option('--replay <run-dir>', 're-score RUN_DIR from its records (and the cache) into a new run folder, calling nothing')
  .option('--vllm <path>', "vllm executable for the suite's serve: section (default $GTM_BENCH_VLLM, else serve.executable, else vllm)")
  .option('--no-preflight', 'skip the check of every model endpoint (GET /v1/models) before the first call')
  .option('--baseline-target <name>', 'the target report.html and report.md give paired differences against (default: the first model target, else reference)')
  .option('--group-by <field>', GROUP_BY_HELP, collect)
  .option('--unsafe-no-sandbox', 'let real:kernel-eval run candidate kernels where bubblewrap cannot contain them (sets GTM_BENCH_UNSAFE_NO_SANDBOX=1)')
  .action(lazy(() => import('./run.js'), 'runCommand'));

program
  .command('validate')
  .description('check a suite file and its datasets against the published schema; exit 2 on any problem')
  .argument('<suite>', 'suite file (YAML or JSON)')
  .action(lazy(() => import('./validate.js'), 'validateCommand'));

program
  .command('report')
  .description("recompute a run folder's summary and reports from its records.jsonl and manifest.json")
  .argument('<run-dir>', 'run folder')
  .option('--group-by <field>', GROUP_BY_HELP + " (default: the run's own)", collect)
  .option('--baseline-target <name>', "the target the paired differences are taken against (default: the run's, else the first model target, else reference)")
  .action(lazy(() => import('./report.js'), 'reportCommand'));

program
  .command('targets')
  .description('list the registered target kinds')
  .action(lazy(() => import('./targets.js'), 'targetsCommand'));

program
  .command('suites')
  .description('list the suites shipped under suites/, one line each')
  .action(lazy(() => import('./suites.js'), 'suitesCommand'));

program
  .command('init')
  .description('write a starter suite that runs as it is: one tool file, five recorded calls (one invalid), the reference, schema-faker and gtm targets')
  .argument('[dir]', 'folder to write into (default: the current folder); existing files are never overwritten')
  .action(lazy(() => import('./init.js'), 'initCommand'));

program
  .command('merge')
  .description('join the run folders of the shards of one plan (run --shard I/N) into one run folder')
  .argument('<run-dirs...>', "the shards' run folders")
  .requiredOption('--out <dir>', 'the merged run folder')
  .action(lazy(() => import('./merge.js'), 'mergeCommand'));

program
  .command('serve')
  .description('start `vllm serve` for a checkpoint, wait until it answers, keep it running until Ctrl-C (then SIGTERM, grace, SIGKILL)')
  .argument('<checkpoint>', 'checkpoint folder (or a model id vLLM resolves itself)')
  .argument('[vllm-args...]', 'extra arguments for vllm serve, after --')
  .option('--port <n>', 'port (default 8000; 0 picks a free one)', integer(0))
  .option('--host <addr>', 'address to listen on (default 127.0.0.1)')
  .option('--tensor-parallel-size <n>', 'GPUs for the server (vllm --tensor-parallel-size)', integer(1))
  .option('--served-model-name <name>', 'model name clients use (default: the checkpoint as given)')
  .option('--vllm <path>', 'vllm executable (default $GTM_BENCH_VLLM, else vllm on PATH)')
  .option('--startup-timeout <s>', 'seconds to wait for /health and /v1/models (default 900)', integer(1))
  .option('--stop-timeout <s>', 'seconds between SIGTERM and SIGKILL when stopping (default 30)', integer(0))
  .option('--info <file>', 'write what is served (vLLM version, command, checkpoint hashes) to this JSON file')
  .option('--log <file>', "also append vLLM's output to this file")
  .action(lazy(() => import('./serve.js'), 'serveCommand'));

program
  .command('agent')
  .description(
    "agent rollouts of the suite's agent: section: B episodes per training step, tool calls answered by the real tool or the simulator by mode; step and tool time per mode",
  )
  .argument('<suite>', 'suite file with an agent section (e.g. suites/search-agent.yaml)')
  .option('--mode <mode>', "real, gtm or hybrid (repeatable, or comma-separated; default: the suite's agent.modes)", collect)
  .option('--step <n>', 'the training step the run starts at (hybrid: gtm before switch_step, real from it)', integer(0))
  .option('--steps <n>', "steps per mode (default: the suite's agent.steps)", integer(1))
  .option('--batch-size <n>', "episodes per step, run concurrently (default: the suite's agent.batch_size)", integer(1))
  .option('--policy-base-url <url>', 'the policy server, or replicas separated by commas (overrides agent.policy.base_url)')
  .option('--policy-model <name>', 'the policy model (overrides agent.policy.model)')
  .option('--no-preflight', 'skip the check of the policy and model backends (GET /v1/models) before the first episode')
  .option('--out <dir>', 'run folder (default ./reports/runs/<suite>-agent-<time>)')
  .option('--quiet', 'no per-step lines')
  .action(lazy(() => import('./agent.js'), 'agentCommand'));

program
  .command('agent-report')
  .description("recompute an agent run folder's summary.json and report.md from its steps.jsonl, episodes.jsonl and manifest.json")
  .argument('<run-dir>', 'agent run folder')
  .action(lazy(() => import('./agent.js'), 'agentReportCommand'));

program
  .command('serve-retriever')
  .description("serve the embedded BM25 retriever over Search-R1's POST /retrieve protocol until Ctrl-C")
  .argument('<corpus>', 'corpus JSONL: {id, contents} (title on the first line) or {id, title, text}')
  .option('--port <n>', "port (default 8000, as Search-R1's retrieval server)", integer(0))
  .option('--host <addr>', 'address to listen on (default 127.0.0.1)')
  .option('--topk <n>', 'documents per query when a request gives no topk or topk 0 (default 3)', integer(1))
  .option('--max-topk <n>', "refuse (422) requests asking for more than n documents per query (default: no cap, as Search-R1's server)", integer(1))
  .option('--index-dir <dir>', 'folder for the index file (default: next to the corpus)')
  .option('--skip-bad-rows', 'leave malformed corpus rows out (each reported) instead of failing')
  .action(lazy(() => import('./serve-retriever.js'), 'serveRetrieverCommand'));

program
  .command('serve-mcp')
  .description(
    "serve a suite's tools as an MCP server (stdio, or Streamable HTTP with --http): each call answered by the suite's model target (gtm), its real target, or hybrid; every call recorded into a run folder",
  )
  .argument('<suite>', 'suite file whose tools are served')
  .requiredOption('--backend <backend>', 'gtm, real or hybrid')
  .option('--http', 'Streamable HTTP at http://HOST:PORT/mcp instead of stdio')
  .option('--port <n>', 'port for --http (default 8765; 0 picks a free one)', integer(0))
  .option('--host <addr>', 'address for --http (default 127.0.0.1)')
  .option('--gtm-target <name>', 'the model target answering in gtm mode (default: the first openai target)')
  .option('--real-target <name>', 'the target answering in real mode (default: the first real:* target)')
  .option('--switch-after <n>', 'hybrid: calls answered by gtm before real takes over', integer(0))
  .option('--switch-at <s>', 'hybrid: seconds after start-up at which real takes over', integer(0))
  .option('--out <dir>', 'run folder for the records (default ./reports/runs/<suite>-serve-mcp-<time>)')
  .action(lazy(() => import('./serve-mcp.js'), 'serveMcpCommand'));

const importers = program
  .command('import')
  .description("bring another tool's definitions or results into gtm-bench: tool files from an MCP server, a dataset from a KernelBench run");
importers
  .command('kernelbench')
  .description('a KernelBench run folder (eval_results.json, generated kernels) as a kernel_eval dataset, with fast_p over the problem set')
  .argument('<run-dir>', 'KernelBench run folder (runs/<run_name>)')
  .requiredOption('--out <dir>', 'write kernel-calls.jsonl and import.json here')
  .option('--baseline <file>', 'KernelBench baseline-times JSON (results/timing/<hardware>/baseline_time_torch.json): reference times and the problem set')
  .option('--level <n>', "KernelBench level (default: the baseline file's or the kernel files' only level)", integer(1))
  .option('--problems <n>', 'the set is problems 1..n when no baseline names it (level 1 and 2: 100, level 3: 50)', integer(1))
  .action(lazy(() => import('./import-kernelbench.js'), 'importKernelBenchCommand'));

program
  .command('compare')
  .description(
    "per metric and target, B - A over the calls both runs share, with a bootstrap 95% interval and a verdict against the suite's gates; exit 1 when a gated metric regressed",
  )
  .argument('<run-a>', 'run folder A (the base)')
  .argument('<run-b>', 'run folder B (the candidate)')
  .option('--target-a <name>', 'the target of run A to compare (with --target-b), e.g. checkpoint A')
  .option('--target-b <name>', 'the target of run B to compare (with --target-a), e.g. checkpoint B')
  .option('--suite <file>', 'take the gates from this suite file (default: the suite run B names)')
  .option('--allow-different-data', 'compare even when the suite or dataset files differ')
  .option('--out <dir>', 'also write compare.md, compare.html, compare.json, compare.csv and gates.junit.xml here')
  .option('--junit <file>', 'write the gates as JUnit XML to this file')
  .action(lazy(() => import('./compare.js'), 'compareCommand'));

program
  .command('baseline')
  .description('accepted baselines that runs are checked against with run --against')
  .command('accept')
  .description('write an accepted baseline from a completed run folder')
  .argument('<run-dir>', 'run folder')
  .option('--out <file>', 'baseline file (default baselines/<suite>.json)')
  .action(lazy(() => import('./baseline.js'), 'baselineAcceptCommand'));

program
  .command('trend')
  .description('chart every metric over the nightly history, marking regressions (trend.html, trend.md)')
  .option('--history <file>', 'history file (default reports/history.jsonl)')
  .option('--add <run-dir>', "first append this run folder's summary to the history")
  .option('--suite <name>', 'only this suite')
  .option('--last <n>', 'only the last N runs of each suite', integer(1))
  .option('--out <dir>', 'output folder (default reports/trend)')
  .action(lazy(() => import('./trend.js'), 'trendCommand'));

program
  .command('curves')
  .description("accuracy curves from the suite's curves section (trainer logs, checkpoint summaries): curves.html, curves.json")
  .argument('<suite>', 'suite file with a curves section')
  .option('--out <dir>', 'output folder (default reports/curves/<suite>)')
  .option('--evaluate', 'first evaluate each checkpoint that has an evaluate block: the agent suite in mode real, the checkpoint as policy')
  .action(lazy(() => import('./curves.js'), 'curvesCommand'));

importers
  .command('stabletoolbench')
  .description('a StableToolBench / MirrorAPI evaluation file ({prompt, predict, label} rows) as a dataset, predictions and a suite to run')
  .argument('<file>', 'JSONL of {prompt, predict, label}')
  .requiredOption('--out <dir>', 'write suite.yaml, calls.jsonl and predictions.jsonl here')
  .option('--split <name>', 'dataset name and call-id prefix (default: the file name)')
  .action(lazy(() => import('./import-stabletoolbench.js'), 'importStableToolBenchCommand'));
importers
  .command('mcp')
  .description("list an MCP server's tools (tools/list) and write one tool file per tool, plus mcp-tools.lock.json (server version, tools/list hash)")
  .argument('[command...]', 'the stdio server command and its arguments, after --')
  .requiredOption('--out <dir>', 'folder for the tool files')
  .option('--url <url>', 'a Streamable HTTP server instead of a command')
  .option('--env <name=value>', 'environment for the server (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
  .option('--path-alias <path>', "write paths under the server's {state_dir} as this alias")
  .option('--startup-timeout <s>', 'seconds to wait for the server to answer initialize (default 30)', integer(1))
  .action(lazy(() => import('./import-mcp.js'), 'importMcpCommand'));

/**
 * A flag error prints its one line, then only the usage of the command that was typed and where its options
 * are listed: the full help (36 lines for `run`) buried the line that says what was wrong.
 */
function usageAfterErrors(cmd: Command, path: string): void {
  for (const sub of cmd.commands) {
    const name = `${path} ${sub.name()}`;
    sub.showHelpAfterError(`usage: ${name} ${sub.usage()}\n(${name} --help lists its options)`);
    usageAfterErrors(sub, name);
  }
}
usageAfterErrors(program, 'gtm-bench');
program.showHelpAfterError('(gtm-bench --help lists the commands)');

redactTerminalOutput(process.argv, process.env);
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
