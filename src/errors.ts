/**
 * One error type for everything the user can act on. It carries a stable code, the
 * process exit code and suggestions; it is rendered in one place (the entry points).
 */
export const ExitCode = {
  /** clean, or done */
  ok: 0,
  /** policy violations found: the push or the scan is refused */
  violations: 1,
  /** usage or configuration error (bad flags, bad policy, not a repository…) */
  usage: 2,
  /** a sync paused and waits for `mirror continue`, `mirror skip` or `mirror abort` */
  paused: 3,
  /** an unexpected failure; never 0, so a hook refuses the push */
  internal: 70,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export interface ErrorDetail {
  file?: string;
  line?: number;
  column?: number;
  field?: string;
  message: string;
}

export class MirrorError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly suggestions: string[];
  readonly details: ErrorDetail[];

  constructor(
    code: string,
    message: string,
    options: { exitCode?: ExitCode; suggestions?: string[]; details?: ErrorDetail[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'MirrorError';
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.usage;
    this.suggestions = options.suggestions ?? [];
    this.details = options.details ?? [];
  }
}

export function isMirrorError(error: unknown): error is MirrorError {
  return error instanceof MirrorError;
}

/** The exit code for any thrown value: unknown failures are never 0. */
export function exitCodeOf(error: unknown): ExitCode {
  return isMirrorError(error) ? error.exitCode : ExitCode.internal;
}
