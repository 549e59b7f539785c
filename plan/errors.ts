/**
 * A bad setting, found before anything is declared or published. `key` is the setting's logical name
 * (`version`, `registries[0].address`); front ends decide how to spell it (`slipway:version` in a stack,
 * `--version` on the command line) through {@link SlipwayInputError.describe}.
 */
export class SlipwayInputError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly problem: string,
    readonly fix: string,
  ) {
    super(renderInputError(`slipway:${key}`, value, problem, fix));
    this.name = "SlipwayInputError";
  }

  /** The one-line message with the setting spelled by `spell` (e.g. as a CLI flag). */
  describe(spell: (key: string) => string): string {
    return renderInputError(spell(this.key), this.value, this.problem, this.fix);
  }
}

function renderInputError(setting: string, value: unknown, problem: string, fix: string): string {
  return oneLine(`${setting} = ${showValue(value)}: ${problem}; fix: ${fix}`);
}

/** Values are shown as JSON so that empty strings and whitespace are visible; long values are cut. */
export function showValue(value: unknown): string {
  if (value === undefined) return "(unset)";
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, " ");
}
