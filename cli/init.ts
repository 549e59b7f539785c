// `slipway init`: run in a Go repository, writes what slipway needs to release it (Pulumi.yaml, the
// local stack, a commented release stack, .gitignore lines). The decisions are in plan/init.ts; this file
// reads the repository, writes the files without ever overwriting a changed one, and reports.
import { MigrationContext, migrateGoreleaser } from "../plan/goreleaser";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { detectProject, InitFile, InitMigration, mergeGitignore, ProjectSnapshot, renderInitFiles } from "../plan/init";
import { CommandIo } from "./io";
import { EXIT, parseCommandArgs, UsageError } from "./usage";

export const INIT_HELP = `Usage: slipway init [--cwd <dir>] [--force] [--from-goreleaser [file]] [--use-dockerfile]

Run in the root of a Go module: writes what slipway needs to release it.
  Pulumi.yaml                  the Pulumi project (runs slipway's program from node_modules)
  stacks/Pulumi.local.yaml     the local stack: the module's main packages, the default platforms, the
                               registry on 127.0.0.1:5000, Athens as a local process
  stacks/Pulumi.release.yaml   a commented template for a GitHub release and GHCR images
  .gitignore                   .slipway/, dist/ and node_modules/ appended when missing
Running it again changes nothing; a file whose content differs is kept unless --force.

Options:
  --cwd <dir>                  the repository; defaults to the current directory
  --force                      overwrite files whose content differs
  --from-goreleaser [file]     take builds, archives and the release settings from a GoReleaser config
                               (default .goreleaser.yaml, then .goreleaser.yml) and report what has no
                               slipway equivalent
  --use-dockerfile             build images with the repository's Dockerfile instead of slipway's recipe
  -h, --help                   show this help

Exit codes: 0 done, 1 failed, 2 bad input or a differing file kept, 3 written, but some GoReleaser
settings were not mapped (listed as <file>:<line>: <key>: <note>).
`;

export const EXIT_UNMAPPED = 3;

/** What a GoReleaser migration gives: settings for the two stacks and a report of each key. */
export interface GoreleaserMigration extends InitMigration {
  readonly unmapped: readonly { readonly line: number; readonly key: string; readonly note: string }[];
  readonly mapped: readonly { readonly line: number; readonly key: string; readonly to: string }[];
}

/** Turns the text of a GoReleaser config into slipway settings and a report. */
export type MigrateGoreleaser = (text: string, context: MigrationContext) => GoreleaserMigration;

/** What {@link initProject} does. */
export interface InitProjectOptions {
  /** The repository root. Required. */
  readonly dir: string;
  /** Overwrite files whose content differs. Defaults to false. */
  readonly force?: boolean;
  /** Migrate a GoReleaser config: its path relative to dir, or "" for the default names. Defaults to none. */
  readonly fromGoreleaser?: string | undefined;
  /** Use the repository's Dockerfile for images. Defaults to false. */
  readonly useDockerfile?: boolean;
}

/** What {@link initProject} needs from outside. */
export interface InitDeps {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  /** The GoReleaser migration. Defaults to {@link migrateGoreleaser}. */
  readonly migrate?: MigrateGoreleaser | undefined;
}

const GORELEASER_DEFAULTS = [".goreleaser.yaml", ".goreleaser.yml"];
const SKIPPED_DIRS = new Set(["testdata", "vendor", "node_modules"]);

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** The package clause's name, or undefined for files that are not built (`//go:build ignore`) or unparsable. */
export function goPackageName(source: string): string | undefined {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/\/\/[^\n]*/g, "");
  const name = /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/.exec(code)?.[1];
  const header = source.slice(0, source.search(/^\s*package\s/m) + 1);
  if (/^\/\/go:build\s+ignore\s*$/m.test(header) || /^\/\/ \+build\s+ignore\s*$/m.test(header)) return undefined;
  return name;
}

/**
 * Reads a repository as plan/init sees it: go.mod, the regular files and the main packages. Skips what
 * the go command skips (directories starting with '.' or '_', testdata, vendor, nested modules) and
 * node_modules; `_test.go` files do not make a main package. Without go.mod nothing is walked.
 */
export function readSnapshot(root: string): ProjectSnapshot {
  const goMod = readText(join(root, "go.mod"));
  if (goMod === undefined) return { goMod, files: [], mainPackages: [] };
  const files: string[] = [];
  const mains = new Set<string>();
  const walk = (rel: string): void => {
    const abs = rel === "." ? root : join(root, rel);
    for (const entry of readdirSync(abs, { withFileTypes: true })) {
      const path = rel === "." ? entry.name : `${rel}/${entry.name}`;
      if (entry.isDirectory()) {
        if (/^[._]/.test(entry.name) || SKIPPED_DIRS.has(entry.name) || existsSync(join(abs, entry.name, "go.mod"))) continue;
        walk(path);
      } else if (entry.isFile()) {
        files.push(path);
        if (entry.name.endsWith(".go") && !entry.name.endsWith("_test.go") && !/^[._]/.test(entry.name)) {
          if (goPackageName(readFileSync(join(abs, entry.name), "utf8")) === "main") mains.add(rel);
        }
      }
    }
  };
  walk(".");
  const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return { goMod, files: files.sort(byteOrder), mainPackages: [...mains].sort(byteOrder) };
}

function goreleaserFile(dir: string, given: string): string {
  if (given !== "") {
    if (!existsSync(resolve(dir, given))) throw new UsageError(`slipway init: --from-goreleaser ${given}: no such file in ${dir}`);
    return given;
  }
  const found = GORELEASER_DEFAULTS.find((name) => existsSync(join(dir, name)));
  if (found === undefined)
    throw new UsageError(`slipway init: no ${GORELEASER_DEFAULTS.join(" or ")} in ${dir}; name the file: --from-goreleaser <file>`);
  return found;
}

type Outcome = "wrote" | "unchanged" | "kept";

function writeOne(dir: string, file: InitFile, force: boolean): Outcome {
  const path = join(dir, file.path);
  const existing = readText(path);
  const wanted =
    file.append === true
      ? mergeGitignore(
          existing,
          file.content.split("\n").filter((l) => l !== ""),
        )
      : file.content;
  if (wanted === undefined || wanted === existing) return "unchanged";
  if (existing !== undefined && file.append !== true && !force) return "kept";
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, wanted);
  return "wrote";
}

/** Detects, renders and writes; returns the exit code. Errors of input are thrown (SlipwayInputError, UsageError). */
export function initProject(options: InitProjectOptions, deps: InitDeps): number {
  const dir = resolve(options.dir);
  if (!existsSync(dir)) throw new UsageError(`slipway init: --cwd ${options.dir}: no such directory`);
  const project = detectProject(readSnapshot(dir));
  let migration: GoreleaserMigration | undefined;
  let source: string | undefined;
  if (options.fromGoreleaser !== undefined) {
    source = goreleaserFile(dir, options.fromGoreleaser);
    const migrate = deps.migrate ?? migrateGoreleaser;
    migration = migrate(readFileSync(resolve(dir, source), "utf8"), { moduleName: project.modulePath, defaultName: project.name });
  }
  const files = renderInitFiles(project, {
    licenseText: project.license === undefined ? undefined : readText(join(dir, project.license)),
    useDockerfile: options.useDockerfile === true,
    migration,
  });
  const kept: string[] = [];
  for (const file of files) {
    const outcome = writeOne(dir, file, options.force === true);
    if (outcome === "kept") kept.push(file.path);
    deps.stdout(outcome === "kept" ? `kept ${file.path} (differs; --force to overwrite)\n` : `${outcome} ${file.path}\n`);
  }
  if (migration !== undefined && source !== undefined) {
    const lines = [
      ...migration.mapped.map((m) => ({ line: m.line, text: `${source}:${m.line}: ${m.key}: mapped to slipway:${m.to}` })),
      ...migration.unmapped.map((u) => ({ line: u.line, text: `${source}:${u.line}: ${u.key}: ${u.note}` })),
    ].sort((a, b) => a.line - b.line);
    for (const line of lines) deps.stdout(`${line.text}\n`);
    deps.stdout(`${migration.mapped.length} GoReleaser settings mapped, ${migration.unmapped.length} not mapped\n`);
  }
  if (kept.length > 0) {
    deps.stderr(
      `error: ${kept.join(", ")} differ${kept.length === 1 ? "s" : ""} from what slipway init writes and ${kept.length === 1 ? "was" : "were"} kept; rerun with --force to overwrite\n`,
    );
    return EXIT.badInput;
  }
  deps.stdout("next: npx slipway release <version> --stack local\n");
  return migration !== undefined && migration.unmapped.length > 0 ? EXIT_UNMAPPED : EXIT.ok;
}

const SPELLING: Record<string, string> = { goMod: "go.mod", mainPackages: "package main" };

/** `--from-goreleaser` takes an optional file: the next argument when it is not a flag. */
function withOptionalValue(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg !== "--from-goreleaser") {
      out.push(arg);
      continue;
    }
    const next = argv[i + 1];
    if (next !== undefined && !next.startsWith("-")) {
      out.push(`--from-goreleaser=${next}`);
      i++;
    } else {
      out.push("--from-goreleaser=");
    }
  }
  return out;
}

/** `slipway init [--cwd <dir>] [--force] [--from-goreleaser [file]] [--use-dockerfile]`; returns the exit code. */
export function runInit(argv: readonly string[], io: CommandIo): number {
  const stderr = io.stderr ?? ((text: string) => process.stderr.write(text));
  try {
    const { values, positionals } = parseCommandArgs(
      withOptionalValue(argv),
      {
        cwd: { type: "string" },
        force: { type: "boolean" },
        "from-goreleaser": { type: "string" },
        "use-dockerfile": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      "init",
    );
    if (values.help === true) {
      io.stdout(INIT_HELP);
      return EXIT.ok;
    }
    if (positionals.length > 0)
      throw new UsageError(`slipway init: unexpected argument ${JSON.stringify(positionals[0])}; see slipway init --help`);
    const fromGoreleaser = values["from-goreleaser"];
    return initProject(
      {
        dir: resolve(io.cwd, values.cwd ?? "."),
        force: values.force === true,
        fromGoreleaser,
        useDockerfile: values["use-dockerfile"] === true,
      },
      { stdout: io.stdout, stderr },
    );
  } catch (error) {
    if (error instanceof SlipwayInputError) {
      stderr(`error: ${error.describe((key) => SPELLING[key] ?? `slipway:${key}`)}\n`);
      return EXIT.badInput;
    }
    if (error instanceof UsageError) {
      stderr(`error: ${error.message}\n`);
      return EXIT.badInput;
    }
    stderr(`error: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}\n`);
    return EXIT.failed;
  }
}
