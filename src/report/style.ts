/** The few styles the text reporter uses; plain when colour is off. */
export interface Style {
  bad: (text: string) => string;
  warn: (text: string) => string;
  good: (text: string) => string;
  dim: (text: string) => string;
  strong: (text: string) => string;
}

const same = (text: string) => text;
export const plain: Style = { bad: same, warn: same, good: same, dim: same, strong: same };

/** chalk is loaded only when colour is wanted: the hook's start-up time matters. */
export async function colours(): Promise<Style> {
  const { default: chalk } = await import('chalk');
  return { bad: chalk.red, warn: chalk.yellow, good: chalk.green, dim: chalk.dim, strong: chalk.bold };
}
