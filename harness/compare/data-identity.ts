/**
 * Are two runs comparable? Only when they ran the same suite file, the same included tool files and the
 * same datasets, byte for byte (pure, over the hashes manifests and baselines record). Returns one line per
 * file that differs; an empty list means comparable.
 */
export interface DataIdentity {
  suite: { file: string; sha256: string; included_files?: Record<string, string> };
  datasets: Record<string, { path: string; sha256: string }>;
}

const short = (h: string | undefined) => (h ? h.slice(0, 12) : 'none');

export function dataDifferences(a: DataIdentity, b: DataIdentity): string[] {
  const out: string[] = [];
  if (a.suite.sha256 !== b.suite.sha256) {
    out.push(`suite file: ${a.suite.file} (sha256 ${short(a.suite.sha256)}) vs ${b.suite.file} (sha256 ${short(b.suite.sha256)})`);
  }
  const ia = a.suite.included_files ?? {};
  const ib = b.suite.included_files ?? {};
  for (const f of [...new Set([...Object.keys(ia), ...Object.keys(ib)])].sort()) {
    if (ia[f] !== ib[f]) out.push(`included file ${f}: sha256 ${short(ia[f])} vs ${short(ib[f])}${!ia[f] ? ' (only in B)' : !ib[f] ? ' (only in A)' : ''}`);
  }
  for (const name of [...new Set([...Object.keys(a.datasets), ...Object.keys(b.datasets)])].sort()) {
    const da = a.datasets[name];
    const db = b.datasets[name];
    if (!da || !db) out.push(`dataset ${name}: only in ${da ? 'A' : 'B'} (${(da ?? db).path})`);
    else if (da.sha256 !== db.sha256) out.push(`dataset ${name}: ${da.path} (sha256 ${short(da.sha256)}) vs ${db.path} (sha256 ${short(db.sha256)})`);
  }
  return out;
}
