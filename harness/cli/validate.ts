import { loadSuite } from '../suite/load.js';
import { targetKindsForSuite } from '../targets/registry.js';
import '../builtin.js';

export async function validateCommand(suiteFile: string): Promise<void> {
  const suite = await loadSuite(suiteFile, { ...targetKindsForSuite() });
  const notConfigured = suite.targets.filter((t) => t.not_configured);
  process.stdout.write(
    `${suiteFile}: valid: ${suite.tools.length} tools, ${suite.calls.length} calls in ${suite.datasets.length} datasets, ${suite.targets.length} targets\n`,
  );
  for (const t of notConfigured) process.stdout.write(`  target ${t.name}: not configured here (${t.not_configured})\n`);
  if (suite.serve) {
    const s = suite.serve;
    const fills = s.targets ?? suite.targets.filter((t) => t.kind === 'openai').map((t) => t.name);
    process.stdout.write(
      s.not_configured
        ? `  serve: not configured here (${s.not_configured})\n`
        : `  serve: vllm serve ${s.checkpoint} for ${fills.join(', ')} (their base_url and model come from it)\n`,
    );
  }
  for (const row of suite.skipped_rows) process.stdout.write(`  skipped row: ${row}\n`);
}
