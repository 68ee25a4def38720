/**
 * The terminal is a write edge like the run folder: everything gtm-bench prints to stdout and stderr (tables,
 * progress, error messages, a stack trace) goes through the redactor (util/redact.ts), so a secret a server
 * echoed into an error, or credentials in a base URL given as a flag, are never shown. Installed once, at start.
 */
import { hasSecrets, redactText, registerEnvSecrets, registerUrlCredentials } from '../util/redact.js';

export function redactTerminalOutput(argv: readonly string[], env: Record<string, string | undefined>): void {
  registerEnvSecrets(env);
  for (const arg of argv) registerUrlCredentials(arg);
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (typeof chunk === 'string') return write(redactText(chunk), ...rest);
      // A Buffer is decoded only when there is something to find in it (progress and tables are strings).
      if (chunk instanceof Uint8Array && (hasSecrets() || chunk.includes(0x40))) {
        const text = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('utf8');
        const out = redactText(text);
        if (out !== text) return write(out, ...rest.filter((r) => typeof r === 'function'));
      }
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}
