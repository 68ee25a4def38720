/**
 * How gtm-bench reaches an MCP server, and how each session gets a state of its own. A stdio server is a
 * command; `{state_dir}` in its arguments, environment or working folder becomes a fresh temporary folder
 * per session (a filesystem server's root, a memory server's file), removed when the session ends, so a
 * session never sees another's state or the user's files. A Streamable HTTP server is a URL; its state is
 * whatever the server keeps per MCP session.
 *
 * `path_alias` makes recordings reproducible: the fresh folder's real path differs every time, so arguments
 * name it by a fixed alias (e.g. `/sandbox/notes.txt`) and the folder's real path in answers is written back
 * as the alias.
 */
export type McpServerSpec =
  | {
      transport: 'stdio';
      command: string;
      args: string[];
      env: Record<string, string>;
      cwd?: string;
      path_alias?: string;
    }
  | { transport: 'http'; url: string; headers: Record<string, string>; path_alias?: string };

export const STATE_DIR = '{state_dir}';

const usesStateDir = (s: string) => s.includes(STATE_DIR);

export function needsStateDir(spec: McpServerSpec): boolean {
  if (spec.transport !== 'stdio') return false;
  return [spec.command, ...spec.args, ...Object.values(spec.env), spec.cwd ?? ''].some(usesStateDir);
}

/** The command with `{state_dir}` filled in. */
export function withStateDir(spec: Extract<McpServerSpec, { transport: 'stdio' }>, dir: string) {
  const fill = (s: string) => s.split(STATE_DIR).join(dir);
  return {
    command: fill(spec.command),
    args: spec.args.map(fill),
    env: Object.fromEntries(Object.entries(spec.env).map(([k, v]) => [k, fill(v)])),
    ...(spec.cwd !== undefined ? { cwd: fill(spec.cwd) } : {}),
  };
}

/** Replaces every string in a JSON value (keys kept); used to map the path alias both ways. */
export function mapStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, fn));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, fn)]));
  }
  return value;
}

/** A canonical description for manifests and ids: what was started, never secrets from headers. */
export function describeServer(spec: McpServerSpec): Record<string, unknown> {
  if (spec.transport === 'http') return { transport: 'http', url: spec.url, headers: Object.keys(spec.headers), path_alias: spec.path_alias };
  return { transport: 'stdio', command: spec.command, args: spec.args, env: Object.keys(spec.env), cwd: spec.cwd, path_alias: spec.path_alias };
}
