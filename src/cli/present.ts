import { writeFileSync } from 'node:fs';
import type { GuardReport } from '../core/guard/types.js';
import { ExitCode, exitCodeOf, isMirrorError } from '../errors.js';
import { redactCredentials } from '../core/redact.js';
import { render, type Format } from '../report/index.js';
import { colours, plain } from '../report/style.js';
import { version } from './version.js';

export interface PresentOptions {
  format: Format;
  /** write the rendered report here instead of stdout */
  output?: string;
  cwd?: string;
  /** printed under a refusal (the hook explains what happens next) */
  footer?: string;
  write?: (text: string) => void;
}

function wantsColour(stream: NodeJS.WriteStream): boolean {
  if (process.env.NO_COLOR) return false;
  return Boolean(process.env.FORCE_COLOR) || stream.isTTY === true;
}

/** Renders a report and returns the exit code: 1 when anything was refused. */
export async function presentReport(report: GuardReport, options: PresentOptions): Promise<number> {
  const exitCode = report.violations.length > 0 ? ExitCode.violations : ExitCode.ok;
  const toFile = options.output !== undefined;
  const stream = options.write ? process.stderr : process.stdout;
  const style = options.format === 'text' && !toFile && wantsColour(stream) ? await colours() : plain;
  const text = render(report, options.format, { exitCode, version: version(), style, cwd: options.cwd, footer: options.footer });
  if (toFile) {
    writeFileSync(options.output!, text);
    // a file report still needs a verdict on the terminal
    if (options.format !== 'text') process.stderr.write(`mirror: ${report.violations.length} violation(s); report written to ${options.output}\n`);
    else process.stderr.write(`mirror: report written to ${options.output}\n`);
  } else {
    (options.write ?? ((out: string) => process.stdout.write(out)))(text);
  }
  return exitCode;
}

/**
 * Every error ends here: a clear message, the details (file, line, field), the
 * suggestions, and an exit code that is never 0. Messages pass through credential
 * redaction because git errors can echo remote URLs.
 */
export function describeError(error: unknown, context?: string): { text: string; exitCode: number } {
  const lines: string[] = [];
  if (isMirrorError(error)) {
    lines.push(`mirror: ${error.message}`);
    for (const detail of error.details) {
      const where = [detail.file, detail.line, detail.column].filter((part) => part !== undefined).join(':');
      lines.push(`  ${where}${detail.field ? ` ${detail.field}` : ''}: ${detail.message}`);
    }
    for (const suggestion of error.suggestions) lines.push(`  → ${suggestion}`);
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(`mirror: unexpected error: ${message}`);
    if (process.env.MIRROR_DEBUG && error instanceof Error && error.stack) lines.push(error.stack);
    else lines.push('  (set MIRROR_DEBUG=1 for the stack trace)');
  }
  if (context) lines.push(context);
  return { text: `${redactCredentials(lines.join('\n'))}\n`, exitCode: exitCodeOf(error) };
}
