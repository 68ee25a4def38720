/**
 * An MCP stdio client transport whose server runs in a process group of its own. The SDK's
 * StdioClientTransport spawns the server in gtm-bench's group and kills only the direct child on close,
 * so a server started through a wrapper (`npx`, `sh -c`, a launcher script) leaves its grandchildren
 * behind. Here close ends stdin, then signals the whole group (SIGTERM, grace, SIGKILL), and the last
 * lines the server wrote on stderr are kept so that a failure can say why.
 * Framing comes from the SDK (ReadBuffer, serializeMessage): only process handling is ours.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { ReadBuffer, serializeMessage } from '@modelcontextprotocol/sdk/shared/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { groupAlive, signalGroup } from '../../util/process-group.js';

export interface StdioServerCommand {
  command: string;
  args: string[];
  /** Added to a minimal inherited environment (PATH, HOME, ...), never the whole of gtm-bench's. */
  env?: Record<string, string>;
  cwd?: string;
}

/** Variables a server may need to start at all; everything else it gets only when the suite says so. */
const INHERITED_ENV = ['HOME', 'LOGNAME', 'PATH', 'SHELL', 'TERM', 'USER', 'TMPDIR', 'LANG'];

const STDERR_LINES = 20;
const GRACE_MS = 2000;

export class GroupStdioTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;

  readonly #cmd: StdioServerCommand;
  readonly #buffer = new ReadBuffer();
  #child?: ChildProcess;
  #stderr: string[] = [];
  #partial = '';
  #exit?: string;

  constructor(cmd: StdioServerCommand) {
    this.#cmd = cmd;
  }

  get pid(): number | undefined {
    return this.#child?.pid;
  }

  /** The server's last stderr lines, oldest first, and how it ended if it did. */
  stderrTail(): string[] {
    const lines = this.#partial ? [...this.#stderr, this.#partial] : [...this.#stderr];
    return this.#exit ? [...lines, `(${this.#exit})`] : lines;
  }

  /** Set once the process has exited: e.g. `exited with code 1` or `killed by SIGKILL`. */
  get exited(): string | undefined {
    return this.#exit;
  }

  start(): Promise<void> {
    if (this.#child) throw new Error('GroupStdioTransport already started');
    const env: Record<string, string> = {};
    for (const k of INHERITED_ENV) if (process.env[k] !== undefined) env[k] = process.env[k]!;
    return new Promise((resolve, reject) => {
      const child = spawn(this.#cmd.command, this.#cmd.args, {
        env: { ...env, ...this.#cmd.env },
        cwd: this.#cmd.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true, // its own process group, so close() reaches every process it starts
      });
      this.#child = child;
      child.once('error', (err) => {
        this.#exit ??= `could not start: ${err.message}`;
        reject(err);
        this.onerror?.(err);
      });
      child.once('spawn', () => resolve());
      child.once('exit', (code, signal) => {
        this.#exit = signal ? `killed by ${signal}` : `exited with code ${code}`;
      });
      child.once('close', () => this.onclose?.());
      child.stdin!.on('error', (err) => this.onerror?.(err));
      child.stdout!.on('data', (chunk: Buffer) => {
        this.#buffer.append(chunk);
        for (;;) {
          let message: JSONRPCMessage | null;
          try {
            message = this.#buffer.readMessage();
          } catch (err) {
            // A line that is not JSON-RPC (a server printing to stdout): reported, the stream goes on.
            this.onerror?.(err as Error);
            continue;
          }
          if (message === null) break;
          this.onmessage?.(message);
        }
      });
      child.stderr!.setEncoding('utf8');
      child.stderr!.on('data', (text: string) => this.#keepStderr(text));
    });
  }

  #keepStderr(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop()!.slice(-2000);
    for (const line of parts) if (line.trim()) this.#stderr.push(line.slice(0, 2000));
    if (this.#stderr.length > STDERR_LINES) this.#stderr.splice(0, this.#stderr.length - STDERR_LINES);
  }

  send(message: JSONRPCMessage): Promise<void> {
    return new Promise((resolve, reject) => {
      const stdin = this.#child?.stdin;
      if (!stdin || stdin.destroyed) return reject(new Error(`MCP server is not running${this.#exit ? ` (${this.#exit})` : ''}`));
      if (stdin.write(serializeMessage(message))) resolve();
      else stdin.once('drain', resolve);
    });
  }

  /** Ends the server and everything it started: stdin closed, then SIGTERM to the group, then SIGKILL. */
  async close(): Promise<void> {
    const child = this.#child;
    if (!child?.pid) return;
    const pgid = child.pid;
    child.stdin?.end();
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    const wait = (ms: number) =>
      new Promise<void>((resolve) => {
        const deadline = Date.now() + ms;
        const tick = () => (!groupAlive(pgid) || Date.now() >= deadline ? resolve() : setTimeout(tick, 25));
        tick();
      });
    await wait(exited() ? 0 : GRACE_MS / 4);
    if (groupAlive(pgid)) {
      signalGroup(pgid, 'SIGTERM');
      await wait(GRACE_MS);
    }
    if (groupAlive(pgid)) {
      signalGroup(pgid, 'SIGKILL');
      await wait(GRACE_MS);
    }
    this.#buffer.clear();
  }
}
