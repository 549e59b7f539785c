// Go text/template → slipway placeholder translation for GoReleaser configs: only the shapes GoReleaser
// users actually write are recognised; anything else is reported as the template that could not be mapped.

/** A translation: the slipway text, or the first Go template action slipway has no equivalent for. */
export type Translation = { readonly ok: true; readonly text: string } | { readonly ok: false; readonly template: string };

type Token = { readonly kind: "text"; readonly text: string } | { readonly kind: "action"; readonly body: string; readonly raw: string };

/** Splits a Go template into text and `{{ … }}` actions, applying `{{-` / `-}}` whitespace trimming. */
export function lexTemplate(template: string): Token[] | undefined {
  const tokens: Token[] = [];
  let rest = template;
  let trimNext = false;
  while (rest.length > 0) {
    const open = rest.indexOf("{{");
    let text = open < 0 ? rest : rest.slice(0, open);
    if (trimNext) text = text.replace(/^\s+/, "");
    if (open < 0) {
      pushText(tokens, text);
      break;
    }
    const close = rest.indexOf("}}", open + 2);
    if (close < 0) return undefined;
    const raw = rest.slice(open, close + 2);
    let inner = raw.slice(2, -2);
    if (inner.startsWith("-")) {
      text = text.replace(/\s+$/, "");
      inner = inner.slice(1);
    }
    trimNext = inner.endsWith("-") && /\s-$/.test(inner);
    if (trimNext) inner = inner.slice(0, -1);
    pushText(tokens, text);
    tokens.push({ kind: "action", body: normaliseAction(inner), raw });
    rest = rest.slice(close + 2);
  }
  return tokens;
}

function pushText(tokens: Token[], text: string): void {
  if (text !== "") tokens.push({ kind: "text", text });
}

function normaliseAction(inner: string): string {
  return inner.trim().replace(/\s+/g, " ").replace(/\( /g, "(").replace(/ \)/g, ")");
}

/** Translates a template whose every action is a plain field (`{{ .Version }}`) found in `fields`. */
export function translateFields(template: string, fields: Readonly<Record<string, string>>): Translation {
  const tokens = lexTemplate(template);
  if (tokens === undefined) return { ok: false, template };
  let text = "";
  for (const token of tokens) {
    if (token.kind === "text") {
      text += token.text;
      continue;
    }
    const field = /^\.(\w+)$/.exec(token.body)?.[1];
    const replacement = field === undefined ? undefined : fields[field];
    if (replacement === undefined) return { ok: false, template: token.raw };
    text += replacement;
  }
  return { ok: true, text };
}

/** Placeholders of build templates (ldflags, flags, env) that slipway renders. */
export function buildFields(moduleName: string): Record<string, string> {
  return {
    Version: "{{version}}",
    RawVersion: "{{version}}",
    Tag: "{{tag}}",
    Commit: "{{commit}}",
    FullCommit: "{{commit}}",
    ShortCommit: "{{shortCommit}}",
    Date: "{{date}}",
    CommitDate: "{{date}}",
    Timestamp: "{{timestamp}}",
    CommitTimestamp: "{{timestamp}}",
    ProjectName: "{{name}}",
    ModulePath: moduleName,
  };
}

/** Placeholders of the checksum file name. */
export const CHECKSUM_FIELDS: Readonly<Record<string, string>> = { ProjectName: "{{name}}", Version: "{{version}}", Tag: "{{tag}}" };

/** Translates the tag part of a docker image template to a docker/metadata-action tag template. */
export function translateImageTag(template: string): Translation {
  const tokens = lexTemplate(template.trim());
  const only = tokens?.length === 1 ? tokens[0] : undefined;
  if (only?.kind === "action" && only.body === ".ShortCommit") return { ok: true, text: "sha-{{sha}}" };
  return translateFields(template.trim(), {
    Version: "{{version}}",
    Tag: "v{{version}}",
    Major: "{{major}}",
    Minor: "{{minor}}",
    Patch: "{{patch}}",
  });
}

/** What a name template needs besides its text: `replacements` it relies on, and remarks. */
export interface NameTranslation {
  readonly text: string;
  readonly os?: Readonly<Record<string, string>>;
  readonly arch?: Readonly<Record<string, string>>;
  /** `{{os}}` / `{{arch}}` used without a replacement (conflicts with replacements from other parts). */
  readonly rawOs: boolean;
  readonly rawArch: boolean;
  readonly notes: readonly string[];
}

/** The platforms a name template is rendered for, to resolve `title .Os` and parts that render empty. */
export interface NameContext {
  readonly oses: readonly string[];
  readonly hasMips: boolean;
  /** `{{ .Binary }}` is allowed (bare-binary names). */
  readonly binary: boolean;
  /** What `{{ .Binary }}` renders as in an archive name: set when every build has one binary name. */
  readonly archiveBinary?: string;
}

type Node =
  | { readonly kind: "text"; readonly text: string }
  | { readonly kind: "action"; readonly body: string; readonly raw: string }
  | { readonly kind: "block"; readonly branches: readonly Branch[]; readonly raw: string };
interface Branch {
  readonly cond: string | undefined;
  readonly body: readonly Node[];
}

class Unsupported extends Error {
  constructor(readonly template: string) {
    super(template);
  }
}

function parseNodes(tokens: readonly Token[], start: number, inBlock: boolean): { nodes: Node[]; next: number } {
  const nodes: Node[] = [];
  let i = start;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    if (token.kind === "action" && inBlock && (token.body === "end" || token.body.startsWith("else"))) return { nodes, next: i };
    if (token.kind === "action" && /^(if|with|range) /.test(token.body)) {
      const block = parseBlock(tokens, i);
      nodes.push(block.node);
      i = block.next;
      continue;
    }
    nodes.push(token);
    i += 1;
  }
  if (inBlock) throw new Unsupported((tokens[start - 1] as { raw?: string } | undefined)?.raw ?? "{{ end }}");
  return { nodes, next: i };
}

function parseBlock(tokens: readonly Token[], start: number): { node: Node; next: number } {
  const head = tokens[start] as Extract<Token, { kind: "action" }>;
  const branches: Branch[] = [];
  let cond: string | undefined = head.body;
  let i = start + 1;
  for (;;) {
    const parsed = parseNodes(tokens, i, true);
    branches.push({ cond, body: parsed.nodes });
    const stop = tokens[parsed.next] as Extract<Token, { kind: "action" }>;
    i = parsed.next + 1;
    if (stop.body === "end") return { node: { kind: "block", branches, raw: head.raw }, next: i };
    cond = stop.body === "else" ? undefined : stop.body.replace(/^else /, "");
  }
}

const NAME_FIELDS: Readonly<Record<string, string>> = {
  ProjectName: "{{name}}",
  Version: "{{version}}",
  Tag: "{{tag}}",
  Arm: "{{arm}}",
  ShortCommit: "{{shortCommit}}",
};

class NameTranslator {
  os: Record<string, string> | undefined;
  arch: Record<string, string> | undefined;
  rawOs = false;
  rawArch = false;
  readonly notes: string[] = [];

  constructor(private readonly context: NameContext) {}

  render(nodes: readonly Node[]): string {
    return nodes.map((node) => this.renderNode(node)).join("");
  }

  private renderNode(node: Node): string {
    if (node.kind === "text") return node.text;
    if (node.kind === "block") return this.renderBlock(node);
    return this.renderAction(node.body, node.raw);
  }

  private renderAction(body: string, raw: string): string {
    if (body === ".Os" || /^(lower|tolower) \.Os$/.test(body) || body === ".Os | lower" || body === ".Os | tolower") {
      this.rawOs = true;
      return "{{os}}";
    }
    if (body === ".Arch") {
      this.rawArch = true;
      return "{{arch}}";
    }
    if (body === "title .Os" || body === ".Os | title") {
      this.setReplacements("os", Object.fromEntries(this.context.oses.map((os) => [os, os.charAt(0).toUpperCase() + os.slice(1)])), raw);
      return "{{os}}";
    }
    if (body === ".Binary" && this.context.binary) return "{{binary}}";
    if (body === ".Binary" && this.context.archiveBinary !== undefined) {
      this.notes.push(`${raw} is the one binary name, ${this.context.archiveBinary}`);
      return this.context.archiveBinary;
    }
    const field = /^\.(\w+)$/.exec(body)?.[1];
    const text = field === undefined ? undefined : NAME_FIELDS[field];
    if (text === undefined) throw new Unsupported(raw);
    return text;
  }

  private renderBlock(block: Extract<Node, { kind: "block" }>): string {
    const first = block.branches[0] as Branch;
    const cond = first.cond ?? "";
    if (block.branches.length === 1 && /^(with|if) \.Arm$/.test(cond)) return this.armBlock(first, block.raw);
    if (block.branches.length === 1 && /^(with|if) \.Mips$/.test(cond) && !this.context.hasMips) {
      this.notes.push(`${block.raw} dropped: it renders empty for slipway's platforms (no mips)`);
      return "";
    }
    if (block.branches.length === 1 && /^if (not \(eq \.Amd64 "v1"\)|ne \.Amd64 "v1")$/.test(cond)) {
      this.notes.push(`${block.raw} dropped: it renders empty (slipway builds amd64 as v1)`);
      return "";
    }
    if (/^if eq \.(Os|Arch) "/.test(cond)) return this.chainBlock(block);
    throw new Unsupported(block.raw);
  }

  private armBlock(branch: Branch, raw: string): string {
    const dot = branch.cond?.startsWith("with") === true ? "." : ".Arm";
    const body = branch.body.map((node) =>
      node.kind === "action" && node.body === dot ? "{{arm}}" : node.kind === "text" ? node.text : "\0",
    );
    const text = body.join("");
    if (text === "v{{arm}}") return "{{armv}}";
    if (text === "{{arm}}") return "{{arm}}";
    throw new Unsupported(raw);
  }

  private chainBlock(block: Extract<Node, { kind: "block" }>): string {
    const field = /^if eq \.(Os|Arch) /.exec(block.branches[0]?.cond ?? "")?.[1] as "Os" | "Arch";
    const replacements: Record<string, string> = {};
    for (const branch of block.branches) {
      if (branch.cond === undefined) {
        const only = branch.body.length === 1 ? branch.body[0] : undefined;
        if (only?.kind !== "action" || only.body !== `.${field}`) throw new Unsupported(block.raw);
        continue;
      }
      const values = new RegExp(`^if eq \\.${field} ((?:"[^"]*" ?)+)$`).exec(branch.cond)?.[1];
      const text = branch.body.length === 1 && branch.body[0]?.kind === "text" ? branch.body[0].text : undefined;
      if (values === undefined || text === undefined) throw new Unsupported(block.raw);
      for (const value of values.match(/"[^"]*"/g) ?? []) replacements[value.slice(1, -1)] ??= text;
    }
    if (block.branches[block.branches.length - 1]?.cond !== undefined) throw new Unsupported(block.raw);
    this.setReplacements(field === "Os" ? "os" : "arch", replacements, block.raw);
    return field === "Os" ? "{{os}}" : "{{arch}}";
  }

  private setReplacements(kind: "os" | "arch", values: Record<string, string>, raw: string): void {
    const current = this[kind];
    if (current !== undefined && JSON.stringify(current) !== JSON.stringify(values)) throw new Unsupported(raw);
    this[kind] = values;
  }
}

/** Translates an archive (or bare-binary) name template; `{ ok: false }` names the part slipway cannot express. */
export function translateNameTemplate(template: string, context: NameContext): NameTranslation | { readonly template: string } {
  const tokens = lexTemplate(template);
  if (tokens === undefined) return { template };
  const translator = new NameTranslator(context);
  try {
    const text = translator.render(parseNodes(tokens, 0, false).nodes);
    if ((translator.os !== undefined && translator.rawOs) || (translator.arch !== undefined && translator.rawArch)) {
      return {
        template: translator.os !== undefined && translator.rawOs ? "{{ .Os }} beside a replaced os" : "{{ .Arch }} beside a replaced arch",
      };
    }
    return {
      text,
      os: translator.os,
      arch: translator.arch,
      rawOs: translator.rawOs,
      rawArch: translator.rawArch,
      notes: translator.notes,
    };
  } catch (error) {
    if (error instanceof Unsupported) return { template: error.template };
    throw error;
  }
}

/** GoReleaser's default archive name template (v1 and v2). */
export const DEFAULT_ARCHIVE_NAME =
  '{{ .ProjectName }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}';
/** GoReleaser's default name for archives of format `binary`. */
export const DEFAULT_BINARY_NAME =
  '{{ .Binary }}_{{ .Version }}_{{ .Os }}_{{ .Arch }}{{ with .Arm }}v{{ . }}{{ end }}{{ with .Mips }}_{{ . }}{{ end }}{{ if not (eq .Amd64 "v1") }}{{ .Amd64 }}{{ end }}';
