import { execFile } from 'node:child_process';

/**
 * What `vllm --version` prints (its last non-empty line: vLLM may log warnings first). It imports torch,
 * so it takes seconds; it runs beside the server's own start. A failure is recorded, not fatal: the
 * server itself will say whether the executable works.
 */
export function vllmVersion(executable: string, timeoutMs = 120_000): Promise<{ version: string | null; error?: string }> {
  return new Promise((resolve) => {
    execFile(executable, ['--version'], { timeout: timeoutMs, encoding: 'utf8' }, (err, stdout, stderr) => {
      const line = String(stdout)
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .pop();
      if (err || !line) {
        const why = err ? (err as Error).message.split('\n')[0] : 'printed nothing';
        resolve({ version: null, error: `${executable} --version: ${why}${stderr ? ` (${String(stderr).trim().split('\n').pop()})` : ''}` });
      } else resolve({ version: line });
    });
  });
}
