/**
 * Errors a user can fix (bad suite, bad dataset row, bad flag). The CLI prints them without a stack
 * and exits with `exitCode` (2 = bad input). Anything else reaching the CLI is a harness bug.
 */

/** One problem in an input file: where it is and what was expected there. */
export interface Problem {
  file: string;
  /** 1-based; 0 when the position is unknown (for example a missing file). */
  line: number;
  column: number;
  /** JSON path inside the document (`/targets/0/concurrency`), or a field name for dataset rows. */
  path: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.column}` : p.file;
  const path = p.path ? ` ${p.path}:` : '';
  return `${where}:${path} ${p.message}`;
}

export class UserError extends Error {
  readonly exitCode: number;
  readonly problems: Problem[];
  constructor(message: string, problems: Problem[] = [], exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.problems = problems;
    this.exitCode = exitCode;
  }
  /** The message followed by one line per problem, ready to print. */
  render(): string {
    return [this.message, ...this.problems.map((p) => '  ' + formatProblem(p))].join('\n');
  }
}
