/**
 * Run folders for the report tests: the fixture suite (test/fixtures/report/suite.yaml) run through runSuite,
 * with its two openai "checkpoints" answered by the loopback stand-in (scripted text, not a model). How
 * checkpoint B answers is switchable, so two runs can differ the way two checkpoints would.
 */
import { runSuite, type RunSuiteResult } from '../../harness/run/run-suite.js';
import { createProgress } from '../../harness/cli/progress.js';
import { startStandIn, type StandIn } from '../../dev/stand-ins/vllm-stand-in.js';

export const REPORT_SUITE = new URL('../fixtures/report/suite.yaml', import.meta.url).pathname;

/** A faithful-looking country_info answer, fenced the way chat models often answer. */
export const FRANCE =
  'Here is the response:\n```json\n' +
  JSON.stringify({
    code: 'FRA',
    name: 'France',
    official_name: 'French Republic',
    capital: ['Paris'],
    region: 'Europe',
    subregion: 'Western Europe',
    area_km2: 551695,
    landlocked: false,
    languages: ['French'],
    currencies: ['EUR'],
    borders: ['AND', 'BEL', 'CHE', 'DEU', 'ESP', 'ITA', 'LUX', 'MCO'],
  }) +
  '\n```';

/** Not JSON, and hostile to a careless HTML report. */
export const HOSTILE = 'I cannot answer <script>window.__pwned = 1</script> & "that" </pre></details>';

export type Behaviour = 'france' | 'hostile';

export interface ReportRuns {
  standIn: StandIn;
  behaviour: { a: Behaviour; b: Behaviour };
  run(out: string, limit?: number): Promise<RunSuiteResult>;
  close(): Promise<void>;
}

export async function startReportRuns(): Promise<ReportRuns> {
  const behaviour: ReportRuns['behaviour'] = { a: 'france', b: 'france' };
  const standIn = await startStandIn({
    models: ['ckpt-a', 'ckpt-b'],
    respond: (req) => {
      const which = req.body?.model === 'ckpt-b' ? behaviour.b : behaviour.a;
      return { text: which === 'france' ? FRANCE : HOSTILE };
    },
  });
  const quiet = createProgress({ interactive: false, quiet: true });
  return {
    standIn,
    behaviour,
    run: (out, limit?: number) =>
      runSuite({ suiteFile: REPORT_SUITE, limit, out, argv: ['run', REPORT_SUITE], progress: quiet, env: { TEST_GTM_URL: `${standIn.url}/v1` } }),
    close: () => standIn.close(),
  };
}
