// `slipway init`, the pure half: from a snapshot of a user's Go repository (go.mod, its files, its main
// packages) to the project that slipway would release, and from that to the text of the files `init`
// writes. No file system here; cli/init.ts reads the snapshot and writes the files.
import YAML from "yaml";
import { byteOrder } from "./assets";
import { SlipwayInputError } from "./errors";
import { DEFAULT_ASSET_PLATFORMS } from "./platforms";
import { detectLicense } from "./licenseDetect";

/** What cli/init.ts reads from the repository. */
export interface ProjectSnapshot {
  /** Text of the root go.mod; undefined when there is none. */
  readonly goMod: string | undefined;
  /** Repository-relative regular files, sorted, with '/' separators. */
  readonly files: readonly string[];
  /** Package directories whose package clause is main, e.g. ".", "cmd/foo". */
  readonly mainPackages: readonly string[];
}

/** One program to build: an entry of `slipway:builds`. */
export interface InitBuild {
  readonly id: string;
  /** Go package relative to the module root: "." or "./cmd/foo". */
  readonly main: string;
  readonly binary: string;
}

/** The project `init` found. */
export interface DetectedProject {
  readonly modulePath: string;
  /** Program name: the module path's last element without a /vN suffix, lowercased. */
  readonly name: string;
  /** "." first, then cmd/* in byte order (other main packages only when there is neither). */
  readonly builds: readonly InitBuild[];
  /** Root files, as repository-relative paths, when present. */
  readonly license?: string;
  readonly readme?: string;
  readonly changelog?: string;
  readonly dockerfile?: string;
}

/** A settings migration (from GoReleaser): slipway keys without the `slipway:` prefix. */
export interface InitMigration {
  /** Settings for every stack (builds, platforms, archives, …); they replace what was detected. */
  readonly settings: Readonly<Record<string, unknown>>;
  /** Settings only the release stack gets (github, registries, …). */
  readonly releaseSettings: Readonly<Record<string, unknown>>;
}

/** Choices for {@link renderInitFiles}. */
export interface InitOptions {
  /** Text of the detected LICENSE file, to name its SPDX id. Defaults to none (no slipway:licenses). */
  readonly licenseText?: string | undefined;
  /** Use the repository's Dockerfile for images. Defaults to false (slipway's built-in recipe). */
  readonly useDockerfile?: boolean | undefined;
  /** A GoReleaser migration that replaces the detected build settings. Defaults to none. */
  readonly migration?: InitMigration | undefined;
}

/** One file `init` writes; `append` files list lines to add when missing (see {@link mergeGitignore}). */
export interface InitFile {
  readonly path: string;
  readonly content: string;
  readonly append?: boolean;
}

/** The lines `init` makes sure .gitignore has. */
export const GITIGNORE_LINES: readonly string[] = [".slipway/", "dist/", "node_modules/"];

/** Where the installed slipway's Pulumi program lives, relative to the user's repository. */
export const PROGRAM_MAIN = "node_modules/slipway/lib/program.js";

/**
 * What node is given before the engine's run harness: slipway's preload (bin/program-preload.cjs says what it
 * saves). The engine runs node in the program's directory, node_modules/slipway/lib, hence the `..`.
 */
export const PROGRAM_NODEARGS = "--require ../bin/program-preload.cjs";

/**
 * The directory of the installed slipway's launcher of Pulumi's dynamic-provider host, which Pulumi.yaml
 * names as the `pulumi-nodejs` provider plugin (bin/dynamic-provider/host.cjs says what it saves).
 */
export const DYNAMIC_PROVIDER_PLUGIN = "node_modules/slipway/bin/dynamic-provider";

/** The registry of the local stack (scripts/toolchain.sh starts it). */
export const LOCAL_REGISTRY = "127.0.0.1:5000";

/** The module path from go.mod's `module` directive (quoted or not), or undefined. */
export function modulePathOf(goMod: string): string | undefined {
  const match = /^\s*module\s+("([^"]+)"|`([^`]+)`|(\S+))/m.exec(goMod.replace(/\/\/[^\n]*/g, ""));
  return match?.[2] ?? match?.[3] ?? match?.[4];
}

/** The program name for a module path: `github.com/Acme/Foo-CLI/v2` → `foo-cli`, `gopkg.in/yaml.v3` → `yaml`. */
export function programNameOf(modulePath: string): string {
  const elements = modulePath.split("/").filter((e) => e !== "");
  if (elements.length > 1 && /^v\d+$/.test(elements[elements.length - 1] ?? "")) elements.pop();
  let last = elements[elements.length - 1] ?? "";
  if (modulePath.startsWith("gopkg.in/")) last = last.replace(/\.v\d+$/, "");
  return last
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[^a-z0-9]+/, "")
    .slice(0, 64);
}

function lastElement(dir: string): string {
  return dir.split("/").pop() ?? dir;
}

function rootFile(files: readonly string[], pattern: RegExp): string | undefined {
  return files.find((f) => !f.includes("/") && pattern.test(f));
}

/** Reads the project out of a snapshot; a missing go.mod or main package is a one-line SlipwayInputError. */
export function detectProject(snapshot: ProjectSnapshot): DetectedProject {
  if (snapshot.goMod === undefined) {
    throw new SlipwayInputError("goMod", undefined, "not found", "run slipway init in the root of a Go module");
  }
  const modulePath = modulePathOf(snapshot.goMod);
  if (modulePath === undefined) {
    throw new SlipwayInputError(
      "goMod",
      undefined,
      "go.mod has no module directive",
      "start go.mod with module <path>, e.g. go mod init github.com/you/app",
    );
  }
  const name = programNameOf(modulePath);
  // programNameOf leaves 0-64 of [a-z0-9._-] that start with a letter or digit: only "" is unusable.
  if (name === "") {
    throw new SlipwayInputError(
      "goMod",
      modulePath,
      "no usable program name in the module path",
      "set slipway:name in stacks/Pulumi.local.yaml by hand",
    );
  }
  // Byte order puts "." before every cmd/ directory, so the chosen builds need no second sort.
  const dirs = [...new Set(snapshot.mainPackages.map((d) => d.replace(/^\.\//, "").replace(/\/$/, "") || "."))].sort(byteOrder);
  const preferred = dirs.filter((d) => d === "." || d.startsWith("cmd/"));
  const chosen = preferred.length > 0 ? preferred : dirs;
  if (chosen.length === 0) {
    throw new SlipwayInputError(
      "mainPackages",
      modulePath,
      "no package main in the module (testdata, vendor, hidden directories and _test.go files are skipped)",
      "add a main package, e.g. main.go or cmd/<name>/main.go, or run slipway init in the module that has one",
    );
  }
  const ids = new Set<string>();
  const builds = chosen.map((dir): InitBuild => {
    const binary = dir === "." ? name : lastElement(dir);
    const id = ids.has(binary) ? dir.replace(/\//g, "-") : binary;
    ids.add(id);
    return { id, main: dir === "." ? "." : `./${dir}`, binary };
  });
  const found = {
    license: rootFile(snapshot.files, /^(LICEN[CS]E|COPYING)([.-].*)?$/i),
    readme: rootFile(snapshot.files, /^README(\..*)?$/i),
    changelog: rootFile(snapshot.files, /^CHANGE(LOG|S)(\..*)?$/i),
    dockerfile: rootFile(snapshot.files, /^Dockerfile$/),
  };
  return {
    modulePath,
    name,
    builds,
    ...Object.fromEntries(Object.entries(found).filter((e) => e[1] !== undefined)),
  };
}

/** `github.com/owner/repo[/…]` → its owner and repo; undefined off github.com. */
export function githubRepoOf(modulePath: string): { owner: string; repo: string } | undefined {
  const [host, owner, repo] = modulePath.split("/");
  if (host !== "github.com" || owner === undefined || repo === undefined || owner === "" || repo === "") return undefined;
  return { owner, repo };
}

/** The order keys are written in; keys not listed follow in byte order. */
const KEY_ORDER = [
  "name",
  "module",
  "builds",
  "platforms",
  "imagePlatforms",
  "imageBinary",
  "archives",
  "checksums",
  "tagTemplates",
  "latest",
  "title",
  "description",
  "source",
  "licenses",
  "changelog",
  "requireReleaseNotes",
  "imageName",
  "dockerfile",
  "baseImage",
  "registries",
  "github",
  "builder",
  "athens",
];
const NESTED_ORDER = [
  "kind",
  "id",
  "main",
  "binary",
  "owner",
  "repo",
  "region",
  "address",
  "username",
  "passwordSecret",
  "tokenSecret",
  "source",
  "format",
  "formatOverrides",
  "nameTemplate",
  "binaryNameTemplate",
  "replacements",
  "files",
  "src",
  "dst",
  "wrapInDirectory",
  "binaries",
  "ldflags",
  "flags",
  "tags",
  "env",
  "platforms",
];

function rank(order: readonly string[], key: string): number {
  const index = order.indexOf(key);
  return index === -1 ? order.length : index;
}

function orderedKeys(keys: readonly string[], order: readonly string[]): string[] {
  return [...keys].sort((a, b) => rank(order, a) - rank(order, b) || byteOrder(a, b));
}

/** A copy of a plain value with every object's keys in the written order. */
function ordered(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(ordered);
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return Object.fromEntries(orderedKeys(Object.keys(record), NESTED_ORDER).map((k) => [k, ordered(record[k])]));
  }
  return value;
}

/** `slipway:<key>` settings in {@link KEY_ORDER}, as the `config:` document of a stack file. */
function stackConfig(settings: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const keys = orderedKeys(
    Object.keys(settings).filter((k) => settings[k] !== undefined),
    KEY_ORDER,
  );
  return Object.fromEntries(keys.map((k) => [`slipway:${k}`, ordered(settings[k])]));
}

function yamlText(value: unknown): string {
  return new YAML.Document(value).toString({ lineWidth: 0 });
}

function comment(lines: readonly string[]): string {
  return lines.map((l) => `# ${l}\n`).join("");
}

/** Commands with their notes in one column. */
function commands(rows: readonly (readonly [string, string])[]): string[] {
  const width = Math.max(...rows.map(([command]) => command.length));
  return rows.map(([command, note]) => `  ${command.padEnd(width)}  # ${note}`);
}

/** Settings that only make sense on the release stack (a local release publishes to this machine). */
const RELEASE_ONLY = ["github", "registries", "athens", "builder"];

/** Settings both stacks share: what was detected, then the migration's replacements. */
function sharedSettings(project: DetectedProject, options: InitOptions): Record<string, unknown> {
  const single = project.builds.length === 1 ? project.builds[0] : undefined;
  const defaultBuild = single !== undefined && single.main === "." && single.binary === project.name;
  const github = githubRepoOf(project.modulePath);
  const licenses = options.licenseText === undefined ? undefined : detectLicense(options.licenseText);
  const detected: Record<string, unknown> = {
    name: project.name,
    builds: defaultBuild ? undefined : project.builds.map((b) => ({ id: b.id, main: b.main, binary: b.binary })),
    platforms: [...DEFAULT_ASSET_PLATFORMS],
    source: github === undefined ? undefined : `https://github.com/${github.owner}/${github.repo}`,
    licenses,
    changelog: project.changelog === "CHANGELOG.md" ? undefined : project.changelog,
    dockerfile: options.useDockerfile === true ? project.dockerfile : undefined,
  };
  const migrated = options.migration?.settings ?? {};
  // A migration's builds replace the detected ones in the spread below; a default build (mainPackage) excludes them.
  if (Object.keys(migrated).includes("mainPackage")) delete detected.builds;
  return { ...detected, ...migrated };
}

function without(settings: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(settings).filter(([k]) => !keys.includes(k)));
}

function dockerfileNote(project: DetectedProject, options: InitOptions): string[] {
  if (project.dockerfile === undefined || options.useDockerfile === true) return [];
  return [
    `Found ${project.dockerfile}; images use slipway's built-in recipe (scratch, the release binary, a non-root`,
    "user) because a repository's Dockerfile usually builds from source. To use yours, make it copy",
    `bin/\${TARGETOS}_\${TARGETARCH}\${TARGETVARIANT}/<binary> and set slipway:dockerfile: ${project.dockerfile}`,
  ];
}

function pulumiYaml(project: DetectedProject): string {
  return yamlText({
    name: project.name,
    description: `Releases ${project.modulePath} with slipway.`,
    runtime: { name: "nodejs", options: { typescript: false, nodeargs: PROGRAM_NODEARGS } },
    main: PROGRAM_MAIN,
    stackConfigDir: "stacks",
    plugins: { providers: [{ name: "pulumi-nodejs", path: DYNAMIC_PROVIDER_PLUGIN }] },
  });
}

function localStack(project: DetectedProject, options: InitOptions): string {
  const shared = sharedSettings(project, options);
  const settings = {
    ...without(shared, RELEASE_ONLY),
    registries: [{ kind: "local", address: LOCAL_REGISTRY }],
    builder: "slipway",
    athens: { kind: "local", source: "process" },
  };
  const header = [
    `The \`local\` stack: releases ${project.modulePath} on this machine, no cloud account. Binaries, archives`,
    "and SHA256SUMS go to dist/releases/<version>/, the image to the registry on 127.0.0.1:5000, and Go modules",
    "come through an Athens proxy the stack runs itself (storage in .slipway/athens/).",
    "Next:",
    ...commands([
      ["npx slipway toolchain start", "once per machine: builds (cached) and starts pulumi, BuildKit, a registry"],
      ["npx slipway doctor", "is this machine ready (pulumi, BuildKit, registry, Athens)?"],
      ["npx slipway release <version> --stack local", "e.g. 0.1.0; add --dry-run to preview first"],
    ]),
    ...dockerfileNote(project, options),
  ];
  return comment(header) + yamlText({ config: stackConfig(settings) });
}

function releaseStack(project: DetectedProject, options: InitOptions): string {
  const github = githubRepoOf(project.modulePath) ?? { owner: "<owner>", repo: "<repo>" };
  const settings = {
    registries: [
      { kind: "external", address: `ghcr.io/${github.owner.toLowerCase()}`, username: github.owner, passwordSecret: "ghcrToken" },
    ],
    github: { owner: github.owner, repo: github.repo, tokenSecret: "githubToken" },
    keyless: true,
    athens: { kind: "local", source: "process" },
    ...sharedSettings(project, options),
    ...(options.migration?.releaseSettings ?? {}),
  };
  const header = [
    "The `release` stack: a GitHub release with the binaries, archives and SHA256SUMS, and the image on GHCR.",
    "Nothing is set yet. To use it, replace `config: {}` with `config:` and uncomment the settings below",
    "(remove the leading '#'), then store the tokens encrypted:",
    '  eval "$(npx slipway toolchain env)"   # the pulumi CLI, and this repository\'s .slipway/ state',
    "  pulumi stack init release",
    "  pulumi config set --secret --stack release slipway:githubToken <token with contents: write>",
    "  pulumi config set --secret --stack release slipway:ghcrToken <token with packages: write>",
    "and release from a GitHub Actions job with `permissions: id-token: write`, where slipway:keyless also",
    "signs the image and SHA256SUMS with the workflow's own identity (Sigstore; no key to keep):",
    "  npx slipway release <version> --stack release",
    "To release from a workstation instead, set slipway:keyless to false (the stack's key still signs).",
  ];
  const body = yamlText({ config: stackConfig(settings) })
    .replace(/^config:\n/, "")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => `#${l}\n`)
    .join("");
  return `${comment(header)}config: {}\n${body}`;
}

/** The files `init` writes, in order: Pulumi.yaml, the two stacks, then .gitignore's lines (append). */
export function renderInitFiles(project: DetectedProject, options: InitOptions = {}): InitFile[] {
  return [
    { path: "Pulumi.yaml", content: pulumiYaml(project) },
    { path: "stacks/Pulumi.local.yaml", content: localStack(project, options) },
    { path: "stacks/Pulumi.release.yaml", content: releaseStack(project, options) },
    { path: ".gitignore", content: GITIGNORE_LINES.map((l) => `${l}\n`).join(""), append: true },
  ];
}

function ignoreForms(line: string): string[] {
  const bare = line.replace(/\/$/, "");
  return [bare, `${bare}/`, `/${bare}`, `/${bare}/`];
}

/**
 * .gitignore with the missing lines appended (a line counts as present in any of its forms: `dist`,
 * `dist/`, `/dist`, `/dist/`), or undefined when nothing is missing.
 */
export function mergeGitignore(existing: string | undefined, lines: readonly string[] = GITIGNORE_LINES): string | undefined {
  const base = existing ?? "";
  const present = new Set(base.split(/\r?\n/).map((l) => l.trim()));
  const missing = lines.filter((l) => !ignoreForms(l).some((form) => present.has(form)));
  if (missing.length === 0) return undefined;
  const separator = base === "" || base.endsWith("\n") ? "" : "\n";
  const heading = base === "" ? "" : "# slipway\n";
  return `${base}${separator}${heading}${missing.map((l) => `${l}\n`).join("")}`;
}
