/**
 * manifest.json of an agent run: what it takes to reproduce it (suite and task-file hashes, dialect and its
 * options, modes, steps, batch size, seed), every backend without secrets, the runtime, and when it ran.
 * Written when the run starts (a crash still leaves it) and rewritten when it ends.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { redactJsonText } from '../util/redact.js';
import { join } from 'node:path';
import type { Manifest } from '../records/manifest.js';
import type { AgentMode, AgentTaskKind } from './types.js';

export interface AgentManifest {
  manifest_version: 1;
  kind: 'agent';
  run_id: string;
  harness: Manifest['harness'];
  runtime: Manifest['runtime'];
  suite: { file: string; name: string; version: string; sha256: string; included_files: Record<string, string> };
  /** `ids`: every task of the file, in file order: the set fast_p is computed over (absent in older runs). */
  tasks: { file: string; sha256: string; count: number; skipped_rows: string[]; ids?: string[] };
  agent: {
    task: AgentTaskKind;
    dialect: string;
    options: Record<string, unknown>;
    modes: AgentMode[];
    /** The training steps this run made, in order. */
    steps: number[];
    switch_step?: number;
    batch_size: number;
    max_turns: number;
    tools: string[];
    seed: number;
    reward: string[];
  };
  /** Backend identity strings: what produced every number. */
  backends: { policy: string; real?: string; gtm?: string };
  /** describe() of the policy client and of each tool target (no secrets). */
  config: { policy: Record<string, unknown>; real?: Record<string, unknown>; gtm?: Record<string, unknown> };
  argv: string[];
  started_at: string;
  ended_at: string | null;
  status: 'running' | 'completed' | 'failed' | 'interrupted';
  exit_code: number | null;
}

export function writeAgentManifest(runDir: string, manifest: AgentManifest): void {
  const path = join(runDir, 'manifest.json');
  writeFileSync(path + '.tmp', redactJsonText(JSON.stringify(manifest, null, 2) + '\n'));
  renameSync(path + '.tmp', path);
}

export function readAgentManifest(runDir: string): AgentManifest {
  return JSON.parse(readFileSync(join(runDir, 'manifest.json'), 'utf8')) as AgentManifest;
}
