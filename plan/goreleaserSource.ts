import { Document, LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument } from "yaml";
import { SlipwayInputError } from "./errors";

/** One key of a GoReleaser config that slipway could not carry over. */
export interface UnmappedKey {
  readonly line: number;
  readonly key: string;
  readonly note: string;
}

/** One key of a GoReleaser config carried over to a slipway setting (`to`), with a remark when it is not 1:1. */
export interface MappedKey {
  readonly line: number;
  readonly key: string;
  readonly to: string;
  readonly note?: string;
}

/** A key (or list item) of the parsed config: its dotted path, 1-based line and value node. */
export interface Field {
  readonly key: string;
  readonly path: string;
  readonly line: number;
  readonly node: unknown;
}

/** The parsed config plus the two lists every mapping rule appends to. */
export class Source {
  readonly unmapped: UnmappedKey[] = [];
  readonly mapped: MappedKey[] = [];

  private constructor(
    private readonly doc: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses `text`; a syntax error is a `SlipwayInputError` for `goreleaser` naming the line. */
  static parse(text: string): Source {
    const lines = new LineCounter();
    const doc = parseDocument(text, { lineCounter: lines, merge: true, uniqueKeys: false });
    const error = doc.errors[0];
    if (error !== undefined) {
      const line = error.linePos?.[0].line ?? 1;
      const first = error.message.split("\n")[0] ?? error.message;
      throw new SlipwayInputError(
        "goreleaser",
        `line ${line}`,
        `YAML syntax error at line ${line}: ${first}`,
        "fix the GoReleaser file's YAML",
      );
    }
    return new Source(doc, lines);
  }

  /** The document's root node. */
  root(): unknown {
    return this.resolve(this.doc.contents);
  }

  /** Follows aliases (`*name`) to the node they stand for. */
  resolve(node: unknown): unknown {
    return isAlias(node) ? node.resolve(this.doc) : node;
  }

  /** The keys of a map node in file order, merge keys (`<<: *x`) expanded, a later key replacing an earlier one. */
  fields(node: unknown, parent: string): Field[] {
    const map = this.resolve(node);
    if (!isMap(map)) return [];
    const out = new Map<string, Field>();
    for (const pair of map.items) {
      const key = pair.key;
      if (isScalar(key) && typeof key.value === "symbol") {
        for (const merged of this.mergedFields(pair.value, parent)) if (!out.has(merged.key)) out.set(merged.key, merged);
        continue;
      }
      const name = isScalar(key) ? String(key.value) : String(key);
      const line = this.lineOf(key);
      out.delete(name);
      out.set(name, { key: name, path: parent === "" ? name : `${parent}.${name}`, line, node: pair.value });
    }
    return [...out.values()];
  }

  private mergedFields(value: unknown, parent: string): Field[] {
    const target = this.resolve(value);
    const sources = isSeq(target) ? target.items : [target];
    return sources.flatMap((item) => this.fields(item, parent));
  }

  /** The items of a sequence node (a scalar counts as a one-item list, as GoReleaser reads it). */
  items(node: unknown, parent: string): Field[] {
    const seq = this.resolve(node);
    if (isSeq(seq)) {
      return seq.items.map((item, index) => ({ key: String(index), path: `${parent}[${index}]`, line: this.lineOf(item), node: item }));
    }
    if (seq === null || seq === undefined) return [];
    return [{ key: "0", path: parent, line: this.lineOf(seq), node: seq }];
  }

  /** The plain JavaScript value of a node. */
  value(node: unknown): unknown {
    const resolved = this.resolve(node);
    if (resolved !== null && typeof resolved === "object" && "toJS" in resolved && typeof resolved.toJS === "function") {
      return (resolved as { toJS(doc: Document): unknown }).toJS(this.doc);
    }
    return resolved;
  }

  /** A scalar node's value as text ("" when absent; non-scalars as JSON). */
  text(node: unknown): string {
    const value = this.value(node);
    if (value === null || value === undefined) return "";
    if (typeof value === "string") return value;
    return typeof value === "number" || typeof value === "boolean" ? String(value) : (JSON.stringify(value) ?? "");
  }

  /** A scalar node's text as written in the file ("" for other nodes), e.g. `0o644` for the number 420. */
  source(node: unknown): string {
    const resolved = this.resolve(node);
    return isScalar(resolved) && typeof resolved.source === "string" ? resolved.source : "";
  }

  /** A node's value as a list of strings (a lone string is a list of one); non-strings are stringified. */
  strings(node: unknown): string[] {
    const value = this.value(node);
    if (value === null || value === undefined) return [];
    const list = Array.isArray(value) ? (value as unknown[]) : [value];
    return list.map((item) => (typeof item === "string" ? item : JSON.stringify(item)));
  }

  /** The 1-based line where a node starts (1 when the node has no position). */
  lineOf(node: unknown): number {
    const range = (node as { range?: [number, number, number] } | null)?.range;
    return range === undefined ? 1 : this.lines.linePos(range[0]).line;
  }

  /** Records a key slipway cannot carry over. */
  unmap(field: Pick<Field, "line" | "path">, note: string): void {
    this.unmapped.push({ line: field.line, key: field.path, note });
  }

  /** Records a key carried over to `to`. */
  map(field: Pick<Field, "line" | "path">, to: string, note?: string): void {
    this.mapped.push(note === undefined ? { line: field.line, key: field.path, to } : { line: field.line, key: field.path, to, note });
  }
}

/** Sorts report entries by line, then key, then text (a stable order for goldens). */
export function byLine<T extends { line: number; key: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => a.line - b.line || a.key.localeCompare(b.key) || JSON.stringify(a).localeCompare(JSON.stringify(b)));
}
