import { Command, Flags } from '@oclif/core';
import { ExitCode } from '../errors.js';
import type { Confidence } from '../core/detect/types.js';
import { FORMATS, type Format } from '../report/index.js';
import { describeError } from './present.js';
import { commonFlags } from './sync-flags.js';

/**
 * Every mirror command: errors become a clear message and a stable exit code
 * (2 usage/configuration, 70 unexpected), never oclif's generic exit 1, which
 * means "violations found" here.
 */
export abstract class MirrorCommand extends Command {
  /** printed after an error; the guard commands say the push was refused */
  protected errorContext: string | undefined;

  protected override async catch(error: Error & { oclif?: { exit?: number }; code?: string }): Promise<unknown> {
    if (error.oclif?.exit !== undefined && error.code === 'EEXIT') throw error;
    if (error.oclif !== undefined && !('exitCode' in error)) {
      // oclif's own parse errors (unknown flag, missing argument) are usage errors
      process.stderr.write(`mirror: ${error.message}\n  → see \`mirror ${this.id?.replace(/:/g, ' ') ?? ''} --help\`\n`);
      this.exit(ExitCode.usage);
    }
    const { text, exitCode } = describeError(error, this.errorContext);
    process.stderr.write(text);
    this.exit(exitCode);
  }
}

export const reportFlags = {
  format: Flags.string({
    char: 'f',
    summary: 'Output format.',
    options: [...FORMATS],
    default: 'text',
  }),
  output: Flags.string({ char: 'o', summary: 'Write the report to this file instead of stdout.' }),
  ...commonFlags,
  'min-confidence': Flags.string({
    summary: 'Refuse (exit 1) on secrets of this confidence and up; lower ones are reported as warnings.',
    options: ['low', 'medium', 'high'],
    default: 'medium',
  }),
};

export function minConfidenceOf(flags: { 'min-confidence'?: string }): Confidence {
  return (flags['min-confidence'] ?? 'medium') as Confidence;
}

export const remoteClassFlag = {
  'remote-class': Flags.string({
    summary: 'Check for this class of remote: public adds private paths and identifiers to secrets.',
    options: ['public', 'private'],
  }),
};

export function formatOf(flags: { format?: string }): Format {
  return (flags.format ?? 'text') as Format;
}
