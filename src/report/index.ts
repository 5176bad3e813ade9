import type { GuardReport } from '../core/guard/types.js';
import { toAnnotations } from './github.js';
import { toJson } from './json.js';
import { toSarif } from './sarif.js';
import type { Style } from './style.js';
import { renderText } from './text.js';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

export interface RenderOptions {
  exitCode: number;
  version: string;
  style?: Style;
  cwd?: string;
  footer?: string;
}

/** One small function per format; the report reaching here is already redacted. */
export function render(report: GuardReport, format: Format, options: RenderOptions): string {
  switch (format) {
    case 'text':
      return renderText(report, options);
    case 'json':
      return `${JSON.stringify(toJson(report, options.exitCode), null, 2)}\n`;
    case 'sarif':
      return `${JSON.stringify(toSarif(report, options.version), null, 2)}\n`;
    case 'github':
      return toAnnotations(report);
  }
}
