// Real projects' GoReleaser configs, read at test time from each project's Go module (pinned by its h1: sum)
// through the Go module proxy. Nothing of theirs is stored here: the goldens hold slipway's own output only.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { stringify } from "yaml";
import { Migration, migrateGoreleaser } from "../../plan/goreleaser";
import { migrationExitCode, renderMigrationReport } from "../../plan/goreleaserReport";
import { parseStackConfig } from "../../plan/stackConfig";
import { checkProjectFiles } from "../../stacks/config";
import { fetchGoModule } from "../support/goModule";
import { assertGolden } from "../support/golden";

interface Project {
  /** Golden file name (test/golden/goreleaser/<short>.txt). */
  readonly short: string;
  readonly path: string;
  readonly version: string;
  readonly sum: string;
  readonly file: string;
  /** What this config exercises. */
  readonly shape: string;
}

const PROJECTS: readonly Project[] = [
  {
    short: "misspell",
    path: "github.com/golangci/misspell",
    version: "v0.8.0",
    sum: "h1:qvxQhiE2/5z+BVRo1kwYA8yGz+lOlu5Jfvtx2b04Jbg=",
    file: "goreleaser.yml",
    shape: "v1 spelling, .go main, ldflags string, .Binary in the archive name, wrap_in_directory",
  },
  {
    short: "go-containerregistry",
    path: "github.com/google/go-containerregistry",
    version: "v0.22.1",
    sum: "h1:RZuuSYhTvlDvtsK+NkutoCZ//C0X2ebLK8X8l3ULs84=",
    file: ".goreleaser.yml",
    shape: "v2, three builds, dir, wide goarch, title .Os / arch chain, source, release footer",
  },
  {
    short: "fzf",
    path: "github.com/junegunn/fzf",
    version: "v0.65.2",
    sum: "h1:Uz6Qey1K4JoGNMskYlwRDnGuCEu/sAh+NxQ4YdX3yn0=",
    file: ".goreleaser.yml",
    shape: "android targets, goarm 5-7 with ignore rules, notarize, release name_template",
  },
  {
    short: "actionlint",
    path: "github.com/rhysd/actionlint",
    version: "v1.7.12",
    sum: "h1:vQ4GeJN86C0QH+gTUQcs8McmK62OLT3kmakPMtEWYnY=",
    file: ".goreleaser.yaml",
    shape: "merge keys, per-build platforms, two archives selected by ids, homebrew_casks",
  },
  {
    short: "dive",
    path: "github.com/wagoodman/dive",
    version: "v0.13.1",
    sum: "h1:rnC8sjsVJnCHklBlJxBxoR6nRTX1uVsW6OhuniQsYQk=",
    file: ".goreleaser.yaml",
    shape: "dockers for two registries and two arches, brews, nfpms, top-level env",
  },
  {
    short: "yamlfmt",
    path: "github.com/google/yamlfmt",
    version: "v0.21.0",
    sum: "h1:9FKApQkDpMKgBjwLFytBHUCgqnQgxaQnci0uiESfbzs=",
    file: ".goreleaser.yaml",
    shape: "GoReleaser default goarch, folded name template with trim markers, signs",
  },
  {
    short: "go-jsonnet",
    path: "github.com/google/go-jsonnet",
    version: "v0.22.0",
    sum: "h1:o0bOAIE+9SIfRZ7FXQPuta0mHLLE0AwbY/L5GTH5CH8=",
    file: ".goreleaser.yml",
    shape: "four builds sharing one matrix, nfpms, release options",
  },
  {
    short: "task",
    path: "github.com/go-task/task/v3",
    version: "v3.54.0",
    sum: "h1:xDgD9BNHIDnHhemB3gumYb+ozUoa6oCFMIz44GGosj8=",
    file: ".goreleaser.yml",
    shape: "an {{if .IsNightly}} ldflags template, mod_timestamp, .Binary archive name, completion files, many packagers",
  },
  {
    short: "croc",
    path: "github.com/schollz/croc/v10",
    version: "v10.7.0",
    sum: "h1:5OuoXcbpxm07cUk4EKOm8uAYPcONEIT/FSEhncmxjYQ=",
    file: ".goreleaser.yml",
    shape: "legacy syntax: singular build:, archive replacements, brews tap:, scoop:",
  },
  {
    short: "golangci-lint",
    path: "github.com/golangci/golangci-lint/v2",
    version: "v2.15.0",
    sum: "h1:w94zf8HAYI7hm3164kwKsvZRuqXvY+YxeFoTbu1OLg8=",
    file: ".goreleaser.yml",
    shape: "wide matrix with mips64 and gomips, wrap_in_directory, dockers_v2, sboms, aurs",
  },
];

/**
 * What slipway refuses, before anything is created, in configs that name files the module does not hold:
 * generated before a release (actionlint's man page), kept outside the module (croc's completions), or a
 * build in a nested module (go-containerregistry's krane).
 */
const REFUSED: Readonly<Record<string, string>> = {
  actionlint:
    'slipway:archives.files[3] = "man/actionlint.1": matches no file in the module; fix: check the glob against the module\'s files (paths are relative to the module root, matching is case-sensitive), or remove it',
  croc: 'slipway:archives.files[2] = "zsh_autocomplete": matches no file in the module; fix: check the glob against the module\'s files (paths are relative to the module root, matching is case-sensitive), or remove it',
  "go-containerregistry":
    'slipway:builds[2].main = ".": no Go files in the package directory . of the module; fix: point main at a package directory of the module, e.g. ./cmd/hello',
};

/** Settings as Pulumi hands them to a program: strings as they are, lists and objects as JSON text, plus a version to plan. */
function stackValues(settings: Readonly<Record<string, unknown>>): Record<string, string> {
  const values: Record<string, string> = {
    version: "9.9.9",
    commit: "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b",
    commitTime: "2026-11-20T10:00:00Z",
  };
  for (const [key, value] of Object.entries(settings)) values[key] = typeof value === "string" ? value : JSON.stringify(value);
  return values;
}

/** slipway's own output for a project: the settings as YAML, the release-stack settings, the report. */
function renderGolden(project: Project, migration: Migration): string {
  const yaml = (value: unknown): string => stringify(value, { lineWidth: 0 });
  return [
    `# slipway init --from-goreleaser: ${project.path}@${project.version} ${project.file}`,
    "# settings (slipway:*)",
    yaml(migration.settings).trimEnd(),
    "# release stack settings",
    Object.keys(migration.releaseSettings).length === 0 ? "{}" : yaml(migration.releaseSettings).trimEnd(),
    `# report (exit code ${migrationExitCode(migration)})`,
    ...renderMigrationReport(migration, project.file),
    "",
  ].join("\n");
}

describe("real GoReleaser configs (from the Go module proxy)", { timeout: 300_000 }, () => {
  for (const project of PROJECTS) {
    it(`${project.short}: ${project.shape}`, () => {
      const dir = fetchGoModule(project.path, project.version, project.sum);
      const text = readFileSync(join(dir, project.file), "utf8");
      // GoReleaser's default project name is the repository's: the module path without a /vN suffix.
      const name =
        project.path
          .replace(/\/v\d+$/, "")
          .split("/")
          .pop() ?? project.short;
      const migration = migrateGoreleaser(text, { moduleName: project.path, defaultName: name });
      assertGolden(`goreleaser/${project.short}.txt`, renderGolden(project, migration));
      // What the migration wrote is a release slipway accepts for this very module, checked the way an
      // update checks it: every setting, every build's package and every archive file, before any resource.
      const settings = parseStackConfig({ values: stackValues(migration.settings), secretKeys: new Set(), project: name });
      const refused = REFUSED[project.short];
      if (refused === undefined) checkProjectFiles(settings, dir);
      else assert.throws(() => checkProjectFiles(settings, dir), { message: refused });
    });
  }
});

describe("fetchGoModule", { timeout: 120_000 }, () => {
  it("refuses a module whose sum differs from the pinned one", () => {
    const project = PROJECTS[0] as Project;
    const wrong = "h1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    assert.throws(
      () => fetchGoModule(project.path, project.version, wrong),
      new RegExp(`module sum ${project.sum.replace(/[+/=]/g, "\\$&")} differs from the pinned ${wrong}`),
    );
  });
});
