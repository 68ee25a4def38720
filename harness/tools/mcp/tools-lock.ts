/**
 * The record `gtm-bench import mcp` leaves next to the tool files it writes: which server, which version,
 * and a hash of its `tools/list`, whole and per tool. A run against the live server lists the tools again
 * and reports a mismatch (a server upgraded since import describes its tools differently, so scores against
 * the imported files may mean something else).
 */
import { readFileSync } from 'node:fs';
import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { UserError } from '../../util/errors.js';
import { canonicalJson, sha256 } from '../../util/hash.js';
import { jsonErrorWithoutText } from '../../util/foreign-file.js';

export const LOCK_FILE = 'mcp-tools.lock.json';

export interface ToolsLock {
  server: { name: string; version: string };
  /** The command or URL the tools were listed from. */
  source: Record<string, unknown>;
  imported_at: string;
  /** sha256 of canonical JSON of the tools list, sorted by name. */
  tools_list_sha256: string;
  tools: Record<string, string>;
  /** Tools not written, with why (e.g. an inputSchema that is not valid JSON Schema). */
  skipped: { name: string; reason: string }[];
}

const byName = (tools: Tool[]) => [...tools].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

export function hashTools(tools: Tool[]): { whole: string; each: Record<string, string> } {
  const sorted = byName(tools);
  return { whole: sha256(canonicalJson(sorted)), each: Object.fromEntries(sorted.map((t) => [t.name, sha256(canonicalJson(t))])) };
}

export function readToolsLock(file: string): ToolsLock {
  let value: ToolsLock;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`tools lock ${file}: cannot read it (${jsonErrorWithoutText((err as Error).message)})`);
  }
  if (!value || typeof value.tools_list_sha256 !== 'string' || typeof value.tools !== 'object') {
    throw new UserError(`tools lock ${file}: expected the file gtm-bench import mcp writes ({server, tools_list_sha256, tools, ...})`);
  }
  return value;
}

/** What changed between the import and the live server; empty when nothing did. */
export function lockMismatch(lock: ToolsLock, live: Tool[], liveServer: { name: string; version: string }): string[] {
  const { whole, each } = hashTools(live);
  if (whole === lock.tools_list_sha256) return [];
  const out: string[] = [];
  if (liveServer.version !== lock.server.version || liveServer.name !== lock.server.name) {
    out.push(`server is ${liveServer.name} ${liveServer.version}, imported from ${lock.server.name} ${lock.server.version}`);
  }
  for (const [name, h] of Object.entries(lock.tools)) {
    if (!(name in each)) out.push(`tool ${name} is gone`);
    else if (each[name] !== h) out.push(`tool ${name} changed`);
  }
  const skipped = new Set(lock.skipped?.map((s) => s.name));
  for (const name of Object.keys(each)) if (!(name in lock.tools) && !skipped.has(name)) out.push(`tool ${name} is new`);
  if (!out.length) out.push('tools/list changed (same tools, different listing)');
  return out;
}
