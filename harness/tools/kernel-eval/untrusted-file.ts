/**
 * Reads a file from a folder a sandboxed program could write: never through a symlink (O_NOFOLLOW: a
 * candidate that replaced its plan with a link to /etc/shadow gets an error, not the file), only a regular
 * file, and at most `maxBytes` (or exactly `exactBytes`). Returns the reason instead of throwing.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';

export async function readUntrusted(path: string, limits: { maxBytes: number; exactBytes?: number }): Promise<{ data: Buffer } | { problem: string }> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { problem: code === 'ENOENT' ? 'missing' : code === 'ELOOP' ? 'a symbolic link' : `unreadable (${code})` };
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) return { problem: 'not a regular file' };
    if (st.size > limits.maxBytes) return { problem: `${st.size} bytes, over the ${limits.maxBytes}-byte limit` };
    if (limits.exactBytes !== undefined && st.size !== limits.exactBytes) return { problem: `${st.size} bytes where ${limits.exactBytes} were expected` };
    const data = Buffer.alloc(st.size);
    const { bytesRead } = await handle.read(data, 0, st.size, 0);
    return bytesRead === st.size ? { data } : { problem: 'shorter than its size' };
  } finally {
    await handle.close();
  }
}
