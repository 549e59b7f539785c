// slipway init: project detection (table), license names (table), the rendered files (golden and parsed
// back), .gitignore merging, the file-system snapshot, and the command in a temporary repository.
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import YAML from "yaml";
import { GoreleaserMigration, goPackageName, initProject, readSnapshot, runInit } from "../../cli/init";
import { SlipwayInputError } from "../../plan/errors";
import {
  detectProject,
  DetectedProject,
  githubRepoOf,
  mergeGitignore,
  modulePathOf,
  programNameOf,
  ProjectSnapshot,
  renderInitFiles,
} from "../../plan/init";
import { detectLicense } from "../../plan/licenseDetect";
import { assertGolden } from "../support/golden";

const MOD = (path: string) => `// a comment\nmodule ${path}\n\ngo 1.22\n`;

describe("detectProject", () => {
  const CASES: { name: string; snapshot: ProjectSnapshot; want: Partial<DetectedProject> }[] = [
    {
      name: "single main at the root",
      snapshot: { goMod: MOD("github.com/acme/hello"), files: ["go.mod", "main.go"], mainPackages: ["."] },
      want: { modulePath: "github.com/acme/hello", name: "hello", builds: [{ id: "hello", main: ".", binary: "hello" }] },
    },
    {
      name: "several under cmd/, in byte order",
      snapshot: { goMod: MOD("example.com/tools"), files: [], mainPackages: ["cmd/zeta", "cmd/alpha", "cmd/Beta"] },
      want: {
        name: "tools",
        builds: [
          { id: "Beta", main: "./cmd/Beta", binary: "Beta" },
          { id: "alpha", main: "./cmd/alpha", binary: "alpha" },
          { id: "zeta", main: "./cmd/zeta", binary: "zeta" },
        ],
      },
    },
    {
      name: "root and cmd/: the root first; other main packages left out",
      snapshot: { goMod: MOD("example.com/app"), files: [], mainPackages: ["cmd/migrate", "examples/demo", "."] },
      want: {
        builds: [
          { id: "app", main: ".", binary: "app" },
          { id: "migrate", main: "./cmd/migrate", binary: "migrate" },
        ],
      },
    },
    {
      name: "only other main packages: they are used",
      snapshot: { goMod: MOD("example.com/svc"), files: [], mainPackages: ["server"] },
      want: { builds: [{ id: "server", main: "./server", binary: "server" }] },
    },
    {
      name: "a /v2 major suffix and capitals",
      snapshot: { goMod: MOD("github.com/Acme/Foo_CLI/v2"), files: [], mainPackages: ["."] },
      want: { modulePath: "github.com/Acme/Foo_CLI/v2", name: "foo_cli", builds: [{ id: "foo_cli", main: ".", binary: "foo_cli" }] },
    },
    {
      name: "gopkg.in's .vN suffix and a quoted module path",
      snapshot: { goMod: 'module "gopkg.in/yaml.v3"\n', files: [], mainPackages: ["."] },
      want: { modulePath: "gopkg.in/yaml.v3", name: "yaml" },
    },
    {
      name: "a binary named like the root program gets a distinct id",
      snapshot: { goMod: MOD("example.com/app"), files: [], mainPackages: [".", "cmd/app"] },
      want: {
        builds: [
          { id: "app", main: ".", binary: "app" },
          { id: "cmd-app", main: "./cmd/app", binary: "app" },
        ],
      },
    },
    {
      name: "root files only, matched case-insensitively",
      snapshot: {
        goMod: MOD("example.com/app"),
        files: ["CHANGELOG.md", "Dockerfile", "LICENSE.txt", "docs/README.md", "readme.md"],
        mainPackages: ["."],
      },
      want: { license: "LICENSE.txt", readme: "readme.md", changelog: "CHANGELOG.md", dockerfile: "Dockerfile" },
    },
    {
      name: "root files without an extension",
      snapshot: { goMod: MOD("example.com/app"), files: ["CHANGES", "COPYING", "README"], mainPackages: ["."] },
      want: { license: "COPYING", readme: "README", changelog: "CHANGES" },
    },
    {
      name: "names that only contain a root file's name are not root files",
      snapshot: {
        goMod: MOD("example.com/app"),
        files: [
          "CHANGESET.md",
          "Dockerfile.dev",
          "FORKREADME",
          "LICENSE_HEADER.txt",
          "OLD_CHANGELOG.md",
          "READMEFIRST",
          "THIRD_PARTY_LICENSE",
          "dev.Dockerfile",
        ],
        mainPackages: ["."],
      },
      want: { license: undefined, readme: undefined, changelog: undefined, dockerfile: undefined },
    },
    {
      name: "main package directories lose ./ and a trailing /, then duplicates",
      snapshot: { goMod: MOD("example.com/tools"), files: [], mainPackages: ["./cmd/b/", "./", "cmd/a", "./cmd/a"] },
      want: {
        builds: [
          { id: "tools", main: ".", binary: "tools" },
          { id: "a", main: "./cmd/a", binary: "a" },
          { id: "b", main: "./cmd/b", binary: "b" },
        ],
      },
    },
    {
      name: "./ inside a directory name is kept",
      snapshot: { goMod: MOD("example.com/tools"), files: [], mainPackages: ["cmd/v1./tool"] },
      want: { builds: [{ id: "tool", main: "./cmd/v1./tool", binary: "tool" }] },
    },
    {
      name: "only other main packages, in byte order",
      snapshot: { goMod: MOD("example.com/svc"), files: [], mainPackages: ["tools/seed", "server"] },
      want: {
        builds: [
          { id: "server", main: "./server", binary: "server" },
          { id: "seed", main: "./tools/seed", binary: "seed" },
        ],
      },
    },
  ];
  for (const c of CASES) {
    it(c.name, () => {
      const project = detectProject(c.snapshot);
      for (const [key, value] of Object.entries(c.want)) assert.deepEqual(project[key as keyof DetectedProject], value, key);
    });
  }
  it("finds no root files when there are none", () => {
    const project = detectProject({ goMod: MOD("example.com/app"), files: ["cmd/LICENSE"], mainPackages: ["."] });
    assert.deepEqual(Object.keys(project).sort(), ["builds", "modulePath", "name"]);
  });

  const ERRORS: { name: string; snapshot: ProjectSnapshot; message: string }[] = [
    {
      name: "no go.mod",
      snapshot: { goMod: undefined, files: [], mainPackages: ["."] },
      message: "slipway:goMod = (unset): not found; fix: run slipway init in the root of a Go module",
    },
    {
      name: "no module line",
      snapshot: { goMod: "go 1.22\n", files: [], mainPackages: ["."] },
      message:
        "slipway:goMod = (unset): go.mod has no module directive; fix: start go.mod with module <path>, e.g. go mod init github.com/you/app",
    },
    {
      name: "no program name in the module path",
      snapshot: { goMod: MOD("example.com/_"), files: [], mainPackages: ["."] },
      message:
        'slipway:goMod = "example.com/_": no usable program name in the module path; fix: set slipway:name in stacks/Pulumi.local.yaml by hand',
    },
    {
      name: "no main package",
      snapshot: { goMod: MOD("example.com/lib"), files: [], mainPackages: [] },
      message:
        'slipway:mainPackages = "example.com/lib": no package main in the module (testdata, vendor, hidden directories and _test.go files are skipped); fix: add a main package, e.g. main.go or cmd/<name>/main.go, or run slipway init in the module that has one',
    },
  ];
  for (const c of ERRORS) {
    it(`refuses: ${c.name}, in one line`, () => {
      assert.throws(
        () => detectProject(c.snapshot),
        (error: unknown) => error instanceof SlipwayInputError && error.message === c.message,
      );
    });
  }
});

describe("modulePathOf", () => {
  const CASES: [string, string | undefined][] = [
    ["module example.com/app\n", "example.com/app"],
    ["  module\t example.com/app\n", "example.com/app"],
    ["module `example.com/app`\n", "example.com/app"],
    ["module example.com/app// the app\n", "example.com/app"],
    ["// module example.com/old\nmodule example.com/app\n", "example.com/app"],
    ["gomodule example.com/app\n", undefined],
  ];
  for (const [goMod, want] of CASES) {
    it(JSON.stringify(goMod), () => assert.equal(modulePathOf(goMod), want));
  }
});

describe("programNameOf", () => {
  const CASES: [string, string][] = [
    ["github.com/acme/app/", "app"],
    ["v2", "v2"],
    ["example.com/app/v10", "app"],
    ["example.com/app/v2beta", "v2beta"],
    ["example.com/yaml.v3", "yaml.v3"],
    ["gopkg.in/yaml.v10", "yaml"],
    ["gopkg.in/acme/tool.v2ext", "tool.v2ext"],
    ["example.com/Foo~~Bar", "foo-bar"],
    ["example.com/__tool", "tool"],
    [`example.com/${"a".repeat(70)}`, "a".repeat(64)],
    ["", ""],
  ];
  for (const [modulePath, want] of CASES) {
    it(`${JSON.stringify(modulePath)} → ${JSON.stringify(want)}`, () => assert.equal(programNameOf(modulePath), want));
  }
});

describe("githubRepoOf", () => {
  const CASES: [string, { owner: string; repo: string } | undefined][] = [
    ["github.com/acme/hello", { owner: "acme", repo: "hello" }],
    ["github.com/acme/hello/v2", { owner: "acme", repo: "hello" }],
    ["github.com/acme", undefined],
    ["github.com//hello", undefined],
    ["github.com/acme/", undefined],
    ["gitlab.com/acme/hello", undefined],
  ];
  for (const [modulePath, want] of CASES) {
    it(modulePath, () => assert.deepEqual(githubRepoOf(modulePath), want));
  }
});

describe("detectLicense", () => {
  const CASES: [string, string | undefined][] = [
    ["MIT License\n\nCopyright (c) 2026 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy", "MIT"],
    ["The MIT License (MIT)\n\nCopyright", "MIT"],
    ["\n                                 Apache License\n                           Version 2.0, January 2004\n", "Apache-2.0"],
    ["BSD 3-Clause License\n\nCopyright (c) 2026", "BSD-3-Clause"],
    [
      "Copyright 2009 The Go Authors.\n\nRedistribution and use in source and binary forms, with or without\nmodification, are permitted provided that ...\n   * Neither the name of Google LLC nor the names of its\ncontributors may be used to endorse",
      "BSD-3-Clause",
    ],
    ["BSD 2-Clause License\n\nCopyright (c) 2026", "BSD-2-Clause"],
    [
      "Copyright (c) 2026 Acme\n\nRedistribution and use in source and binary forms, with or without modification, are permitted provided that the following conditions are met:",
      "BSD-2-Clause",
    ],
    ["Mozilla Public License Version 2.0\n==================================\n", "MPL-2.0"],
    ["ISC License\n\nCopyright (c) 2026", "ISC"],
    [
      "Copyright (c) 2026\n\nPermission to use, copy, modify, and/or distribute this software for any\npurpose with or without fee is hereby granted, provided that the above\ncopyright notice",
      "ISC",
    ],
    ["                    GNU GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n", "GPL-3.0-only"],
    ["                   GNU LESSER GENERAL PUBLIC LICENSE\n                       Version 3, 29 June 2007\n", undefined],
    ["                    GNU GENERAL PUBLIC LICENSE\n                       Version 2, June 1991\n", undefined],
    ["All rights reserved. Proprietary.", undefined],
    ["\uFEFFMIT License\n\nCopyright (c) 2026 Acme", "MIT"],
    [
      "Copyright (c) 1990 The Regents.\n\nRedistribution and use in source and binary forms, with or without modification, are permitted provided that: 3. All advertising materials mentioning features or use of this software must display the following acknowledgement. 4. Neither the name of the University nor the names of its contributors may be used to endorse or promote products",
      undefined,
    ],
    // A license named anywhere but at the start is not the file's license.
    ["Parts are under the Apache License, Version 2.0; the rest is proprietary.", undefined],
    ["Parts are under the Mozilla Public License Version 2.0; the rest is proprietary.", undefined],
    ["Parts are under the GNU General Public License Version 3, 29 June 2007; the rest is proprietary.", undefined],
    ["Parts are under the MIT License; the rest is proprietary.", undefined],
    ["Parts are under the ISC License; the rest is proprietary.", undefined],
    ["Parts are under the BSD 3-Clause License; the rest is proprietary.", undefined],
    ["Parts are under the BSD 2-Clause License; the rest is proprietary.", undefined],
  ];
  for (const [text, spdx] of CASES) {
    it(`${JSON.stringify(text.trim().slice(0, 40))} → ${spdx ?? "unknown"}`, () => assert.equal(detectLicense(text), spdx));
  }
});

const SINGLE = detectProject({
  goMod: MOD("github.com/acme/hello"),
  files: ["LICENSE", "README.md", "go.mod", "main.go"],
  mainPackages: ["."],
});
const THREE = detectProject({
  goMod: MOD("git.example.com/platform/Tools/v3"),
  files: ["CHANGES.md", "Dockerfile", "go.mod"],
  mainPackages: [".", "cmd/tools-migrate", "cmd/toolsd"],
});
const MIT = "MIT License\n\nCopyright (c) 2026 Acme\n";

function filesOf(project: DetectedProject, options: Parameters<typeof renderInitFiles>[1] = {}): Map<string, string> {
  return new Map(renderInitFiles(project, options).map((f) => [f.path, f.content]));
}

function localConfig(project: DetectedProject, options: Parameters<typeof renderInitFiles>[1] = {}): Record<string, unknown> {
  return (YAML.parse(filesOf(project, options).get("stacks/Pulumi.local.yaml") ?? "") as { config: Record<string, unknown> }).config;
}

/** A migration that sets every ordered setting, each object's keys given in reverse of the written order. */
const FULL_MIGRATION = {
  settings: {
    baseImage: "gcr.io/distroless/static-debian12:nonroot",
    dockerfile: "build/Dockerfile",
    imageName: "acme/hello",
    requireReleaseNotes: true,
    description: "Hello greets whoever runs it, in every language the team could find a native speaker for, and says goodbye on request.",
    title: "hello {{version}}",
    latest: "auto",
    tagTemplates: ["v{{version}}", "latest"],
    checksums: "{{name}}_{{version}}_checksums.txt",
    archives: {
      binaries: false,
      wrapInDirectory: true,
      files: ["LICENSE", { dst: "docs", src: "docs/*.md" }],
      replacements: { arch: { amd64: "x86_64" } },
      binaryNameTemplate: "{{binary}}_{{os}}_{{arch}}",
      nameTemplate: "{{name}}_{{version}}_{{os}}_{{arch}}",
      formatOverrides: { windows: "zip" },
      format: "tar.xz",
    },
    imageBinary: "hello",
    imagePlatforms: ["linux/amd64", "linux/arm64"],
    platforms: ["linux/amd64", "linux/arm64", "darwin/arm64"],
    builds: [
      {
        platforms: ["linux/amd64"],
        env: ["CGO_ENABLED=0"],
        tags: ["netgo"],
        flags: ["-trimpath"],
        ldflags: ["-s -w"],
        binary: "hello",
        main: "./cmd/hello",
        id: "hello",
      },
    ],
    module: "github.com/acme/hello",
    // An empty GoReleaser section arrives as null.
    releaseNotes: null,
  },
  releaseSettings: {
    athens: { source: "process", kind: "local" },
    github: { tokenSecret: "githubToken", repo: "hello", owner: "acme" },
    registries: [
      { passwordSecret: "ghcrToken", username: "acme", address: "ghcr.io/acme", kind: "external" },
      { region: "us-east-1", kind: "ecr" },
    ],
    homebrew: { branch: "main", tokenSecret: "tapToken", repository: "acme/homebrew-tap" },
  },
};

/** The release template with its settings uncommented, as the header tells the user to do. */
function uncommented(release: string): unknown {
  const [header = "", settings = ""] = release.split("config: {}\n");
  return YAML.parse(`${header}config:\n${settings.replace(/^#/gm, "")}`);
}

describe("renderInitFiles", () => {
  for (const [name, project, options] of [
    ["single", SINGLE, { licenseText: MIT }],
    ["three", THREE, {}],
  ] as const) {
    it(`${name}: matches the golden files`, () => {
      for (const file of renderInitFiles(project, options)) assertGolden(`init/${name}/${file.path}`, file.content);
    });
  }
  it("every file is valid YAML; the release template parses to an empty config", () => {
    for (const project of [SINGLE, THREE]) {
      const files = filesOf(project);
      assert.equal((YAML.parse(files.get("Pulumi.yaml") ?? "") as { main: string }).main, "node_modules/slipway/lib/program.js");
      assert.equal(typeof (YAML.parse(files.get("stacks/Pulumi.local.yaml") ?? "") as { config: object }).config, "object");
      assert.deepEqual(YAML.parse(files.get("stacks/Pulumi.release.yaml") ?? ""), { config: {} });
    }
  });
  it("the release template, uncommented, configures GitHub, GHCR and keyless signing", () => {
    const config = (
      uncommented(filesOf(SINGLE, { licenseText: MIT }).get("stacks/Pulumi.release.yaml") ?? "") as { config: Record<string, unknown> }
    ).config;
    assert.deepEqual(config["slipway:github"], { owner: "acme", repo: "hello", tokenSecret: "githubToken" });
    assert.deepEqual(config["slipway:registries"], [
      { kind: "external", address: "ghcr.io/acme", username: "acme", passwordSecret: "ghcrToken" },
    ]);
    assert.equal(config["slipway:licenses"], "MIT");
    assert.equal(config["slipway:builder"], undefined);
    assert.equal(config["slipway:keyless"], true, "released from GitHub Actions, signed keyless too");
    assert.equal(
      (YAML.parse(filesOf(SINGLE).get("stacks/Pulumi.local.yaml") ?? "") as { config: Record<string, unknown> }).config["slipway:keyless"],
      undefined,
      "a local release has no GitHub identity to sign with",
    );
  });
  it("writes slipway:builds only when the default build would be wrong", () => {
    const local = (p: DetectedProject) =>
      (YAML.parse(filesOf(p).get("stacks/Pulumi.local.yaml") ?? "") as { config: Record<string, unknown> }).config;
    assert.equal(local(SINGLE)["slipway:builds"], undefined);
    const one = detectProject({ goMod: MOD("example.com/hello"), files: [], mainPackages: ["cmd/hello"] });
    assert.deepEqual(local(one)["slipway:builds"], [{ id: "hello", main: "./cmd/hello", binary: "hello" }]);
    assert.equal((local(THREE)["slipway:builds"] as unknown[]).length, 3);
  });
  it("a Dockerfile is only a comment unless options say to use it", () => {
    assert.match(filesOf(THREE).get("stacks/Pulumi.local.yaml") ?? "", /^# Found Dockerfile; images use slipway's built-in recipe/m);
    assert.doesNotMatch(filesOf(THREE).get("stacks/Pulumi.local.yaml") ?? "", /^ {2}slipway:dockerfile/m);
    const used = filesOf(THREE, { useDockerfile: true }).get("stacks/Pulumi.local.yaml") ?? "";
    assert.match(used, /^ {2}slipway:dockerfile: Dockerfile$/m);
    assert.doesNotMatch(used, /^# Found Dockerfile/m);
  });
  it("a migration replaces the detected builds and fills the release template, keeping release-only settings out of local", () => {
    const migration = {
      settings: {
        archives: { format: "zip", files: ["LICENSE"] },
        builds: [{ binary: "hello", main: "./cmd/hello", id: "hello", ldflags: ["-s"] }],
        platforms: ["linux/amd64"],
        github: { repo: "hello", owner: "acme" },
      },
      releaseSettings: { tagTemplates: ["v{{version}}"], registries: [{ kind: "ecr", region: "us-east-1" }] },
    };
    const files = filesOf(SINGLE, { migration });
    const local = (YAML.parse(files.get("stacks/Pulumi.local.yaml") ?? "") as { config: Record<string, unknown> }).config;
    assert.deepEqual(local["slipway:builds"], [{ id: "hello", main: "./cmd/hello", binary: "hello", ldflags: ["-s"] }]);
    assert.deepEqual(Object.keys((local["slipway:builds"] as object[])[0] ?? {}), ["id", "main", "binary", "ldflags"]);
    assert.deepEqual(local["slipway:platforms"], ["linux/amd64"]);
    assert.deepEqual(local["slipway:archives"], { format: "zip", files: ["LICENSE"] });
    assert.equal(local["slipway:github"], undefined);
    assert.deepEqual(local["slipway:registries"], [{ kind: "local", address: "127.0.0.1:5000" }]);
    const release = (uncommented(files.get("stacks/Pulumi.release.yaml") ?? "") as { config: Record<string, unknown> }).config;
    assert.deepEqual(release["slipway:tagTemplates"], ["v{{version}}"]);
    assert.deepEqual(release["slipway:registries"], [{ kind: "ecr", region: "us-east-1" }]);
    assert.deepEqual(release["slipway:github"], { owner: "acme", repo: "hello" });
  });
  it("writes slipway:changelog only for a changelog not named CHANGELOG.md", () => {
    const changelogOf = (files: string[]) =>
      localConfig(detectProject({ goMod: MOD("example.com/app"), files, mainPackages: ["."] }))["slipway:changelog"];
    assert.equal(changelogOf(["CHANGELOG.md"]), undefined);
    assert.equal(changelogOf(["CHANGES.md"]), "CHANGES.md");
  });
  it("writes slipway:builds for a root build whose binary is not the program name", () => {
    const project: DetectedProject = {
      modulePath: "example.com/hello",
      name: "hello",
      builds: [{ id: "hello-cli", main: ".", binary: "hello-cli" }],
    };
    assert.deepEqual(localConfig(project)["slipway:builds"], [{ id: "hello-cli", main: ".", binary: "hello-cli" }]);
  });
  it("a migrated default build (mainPackage) replaces the detected builds", () => {
    const mainPackage = { main: "./cmd/toolsd", ldflags: ["-s"] };
    const config = localConfig(THREE, { migration: { settings: { mainPackage }, releaseSettings: {} } });
    assert.equal(config["slipway:builds"], undefined);
    assert.deepEqual(config["slipway:mainPackage"], mainPackage);
  });
  it("a full migration: every setting in its place, long lines unbroken (golden)", () => {
    const files = filesOf(SINGLE, { licenseText: MIT, migration: FULL_MIGRATION });
    assertGolden("init-migrated-local.yaml", files.get("stacks/Pulumi.local.yaml") ?? "");
    assertGolden("init-migrated-release.yaml", files.get("stacks/Pulumi.release.yaml") ?? "");
  });
  it("orders the keys of every nested object the same way, the unlisted ones last in byte order", () => {
    const order = [
      ...["kind", "id", "main", "binary", "owner", "repo", "region", "address", "username", "passwordSecret", "tokenSecret"],
      ...["source", "format", "formatOverrides", "nameTemplate", "binaryNameTemplate", "replacements", "files", "src", "dst"],
      ...["wrapInDirectory", "binaries", "ldflags", "flags", "tags", "env", "platforms", "branch", "mode"],
    ];
    const scrambled = Object.fromEntries([...order].reverse().map((k) => [k, k]));
    const config = localConfig(SINGLE, { migration: { settings: { packages: [scrambled] }, releaseSettings: {} } });
    assert.deepEqual(Object.keys((config["slipway:packages"] as object[])[0] ?? {}), order);
  });
  it("is deterministic: the order settings arrive in does not change the text", () => {
    const a = { settings: { platforms: ["linux/amd64"], archives: "none" }, releaseSettings: {} };
    const b = { settings: { archives: "none", platforms: ["linux/amd64"] }, releaseSettings: {} };
    assert.deepEqual(renderInitFiles(SINGLE, { migration: a }), renderInitFiles(SINGLE, { migration: b }));
  });
});

describe("mergeGitignore", () => {
  const CASES: [string | undefined, string | undefined][] = [
    [undefined, ".slipway/\ndist/\nnode_modules/\n"],
    ["", ".slipway/\ndist/\nnode_modules/\n"],
    ["bin\n/dist\nnode_modules", "bin\n/dist\nnode_modules\n# slipway\n.slipway/\n"],
    [".slipway/\ndist/\nnode_modules/\n", undefined],
    ["/.slipway\n dist \nnode_modules/\n", undefined],
    ["bin\n", "bin\n# slipway\n.slipway/\ndist/\nnode_modules/\n"],
  ];
  for (const [existing, want] of CASES) {
    it(JSON.stringify(existing), () => assert.equal(mergeGitignore(existing), want));
  }
  it("a line with inner slashes counts as present in its rooted form", () => {
    assert.equal(mergeGitignore("/build/out\n", ["build/out/"]), undefined);
  });
});

function repo(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "slipway-init-"));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  return dir;
}

describe("readSnapshot", () => {
  it("finds main packages the way the go command does", () => {
    const dir = repo({
      "go.mod": MOD("example.com/app"),
      "main.go": "// Command app.\npackage main\n",
      "cmd/tool/tool.go": "/* doc */ package main\n",
      "lib/lib.go": "package lib\n",
      "lib/lib_test.go": "package main\n",
      "lib/gen.go": "//go:build ignore\n\npackage main\n",
      "testdata/x/main.go": "package main\n",
      "vendor/v/main.go": "package main\n",
      ".hidden/main.go": "package main\n",
      "_old/main.go": "package main\n",
      "nested/go.mod": MOD("example.com/nested"),
      "nested/main.go": "package main\n",
    });
    const snapshot = readSnapshot(dir);
    assert.deepEqual(snapshot.mainPackages, [".", "cmd/tool"]);
    assert.equal(snapshot.goMod, MOD("example.com/app"));
    assert.deepEqual(snapshot.files, ["cmd/tool/tool.go", "go.mod", "lib/gen.go", "lib/lib.go", "lib/lib_test.go", "main.go"]);
  });
  it("goPackageName reads the package clause past comments", () => {
    assert.equal(goPackageName("// Copyright\n\n/*\npackage nope\n*/\npackage main // trailing\n"), "main");
    assert.equal(goPackageName("// +build ignore\n\npackage main\n"), undefined);
    assert.equal(goPackageName("package foo_test\n"), "foo_test");
  });
});

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) };
}

function init(dir: string, argv: string[] = []) {
  const io = capture();
  const code = runInit(["--cwd", dir, ...argv], { cwd: "/", stdout: io.stdout, stderr: io.stderr });
  return { code, stdout: io.out.join(""), stderr: io.err.join("") };
}

const HELLO = { "go.mod": MOD("github.com/acme/hello"), "main.go": "package main\n", LICENSE: MIT };
const WRITTEN = ["Pulumi.yaml", "stacks/Pulumi.local.yaml", "stacks/Pulumi.release.yaml", ".gitignore"];

describe("slipway init", () => {
  it("writes the files, then the next command", () => {
    const dir = repo(HELLO);
    const run = init(dir);
    assert.equal(run.code, 0);
    assert.equal(run.stderr, "");
    assert.equal(run.stdout, `${WRITTEN.map((p) => `wrote ${p}\n`).join("")}next: npx slipway release <version> --stack local\n`);
    for (const [path, content] of filesOf(SINGLE, { licenseText: MIT })) assert.equal(readFileSync(join(dir, path), "utf8"), content, path);
  });
  it("a second run changes nothing", () => {
    const dir = repo(HELLO);
    init(dir);
    const before = WRITTEN.map((p) => readFileSync(join(dir, p), "utf8"));
    const run = init(dir);
    assert.equal(run.code, 0);
    assert.equal(run.stdout, `${WRITTEN.map((p) => `unchanged ${p}\n`).join("")}next: npx slipway release <version> --stack local\n`);
    assert.deepEqual(
      WRITTEN.map((p) => readFileSync(join(dir, p), "utf8")),
      before,
    );
  });
  it("keeps a differing file without --force (exit 2, one line), overwrites it with --force", () => {
    const dir = repo({ ...HELLO, "stacks/Pulumi.local.yaml": "config:\n  slipway:name: mine\n" });
    const kept = init(dir);
    assert.equal(kept.code, 2);
    assert.match(kept.stdout, /^kept stacks\/Pulumi\.local\.yaml \(differs; --force to overwrite\)$/m);
    assert.match(kept.stdout, /^wrote Pulumi\.yaml$/m);
    assert.doesNotMatch(kept.stdout, /^next:/m);
    assert.equal(
      kept.stderr,
      "error: stacks/Pulumi.local.yaml differs from what slipway init writes and was kept; rerun with --force to overwrite\n",
    );
    assert.equal(readFileSync(join(dir, "stacks/Pulumi.local.yaml"), "utf8"), "config:\n  slipway:name: mine\n");
    const forced = init(dir, ["--force"]);
    assert.equal(forced.code, 0);
    assert.match(forced.stdout, /^wrote stacks\/Pulumi\.local\.yaml$/m);
    assert.equal(
      readFileSync(join(dir, "stacks/Pulumi.local.yaml"), "utf8"),
      filesOf(SINGLE, { licenseText: MIT }).get("stacks/Pulumi.local.yaml"),
    );
  });
  it("appends the missing .gitignore lines once", () => {
    const dir = repo({ ...HELLO, ".gitignore": "/bin\ndist" });
    init(dir);
    init(dir, ["--force"]);
    assert.equal(readFileSync(join(dir, ".gitignore"), "utf8"), "/bin\ndist\n# slipway\n.slipway/\nnode_modules/\n");
  });
  const BAD: { name: string; files: Record<string, string>; argv: string[]; stderr: RegExp }[] = [
    {
      name: "no go.mod",
      files: { "main.go": "package main\n" },
      argv: [],
      stderr: /^error: go\.mod = \(unset\): not found; fix: run slipway init in the root of a Go module\n$/,
    },
    {
      name: "no main package",
      files: { "go.mod": MOD("example.com/lib"), "lib.go": "package lib\n" },
      argv: [],
      stderr: /^error: package main = "example\.com\/lib": no package main in the module .*; fix: add a main package/,
    },
    {
      name: "an unknown flag",
      files: HELLO,
      argv: ["--frce"],
      stderr: /^error: slipway init: Unknown option '--frce'.*; see slipway init --help\n$/,
    },
    {
      name: "an extra argument",
      files: HELLO,
      argv: ["now"],
      stderr: /^error: slipway init: unexpected argument "now"; see slipway init --help\n$/,
    },
    {
      name: "a missing GoReleaser file",
      files: HELLO,
      argv: ["--from-goreleaser", "gr.yml"],
      stderr: /^error: slipway init: --from-goreleaser gr\.yml: no such file in /,
    },
    {
      name: "no default GoReleaser file",
      files: HELLO,
      argv: ["--from-goreleaser", "--force"],
      stderr: /^error: slipway init: no \.goreleaser\.yaml or \.goreleaser\.yml in .*; name the file: --from-goreleaser <file>\n$/,
    },
  ];
  for (const c of BAD) {
    it(`bad input: ${c.name} exits 2 with one line and writes nothing`, () => {
      const dir = repo(c.files);
      const run = init(dir, c.argv);
      assert.equal(run.code, 2);
      assert.match(run.stderr, c.stderr);
      assert.equal(run.stderr.split("\n").length, 2, run.stderr);
      assert.equal(run.stdout, "");
      assert.throws(() => readFileSync(join(dir, "Pulumi.yaml")));
    });
  }
  it("--help", () => {
    const io = capture();
    assert.equal(runInit(["--help"], { cwd: "/", stdout: io.stdout, stderr: io.stderr }), 0);
    assert.match(io.out.join(""), /^Usage: slipway init /);
    assert.match(io.out.join(""), /Exit codes: 0 /);
  });
});

describe("initProject --from-goreleaser (fake migration)", () => {
  const MIGRATION: GoreleaserMigration = {
    settings: { platforms: ["linux/amd64", "darwin/arm64"], archives: "tar.xz" },
    releaseSettings: { github: { owner: "acme", repo: "hello", tokenSecret: "githubToken" } },
    mapped: [{ line: 3, key: "builds[0].goos", to: "platforms" }],
    unmapped: [{ line: 12, key: "signs", note: "signing is not supported; sign SHA256SUMS in CI" }],
  };
  function run(migration: GoreleaserMigration, files: Record<string, string>, from = "") {
    const dir = repo({ ...HELLO, ...files });
    const io = capture();
    const texts: string[] = [];
    const migrate = (text: string) => (texts.push(text), migration);
    const code = initProject({ dir, fromGoreleaser: from }, { stdout: io.stdout, stderr: io.stderr, migrate });
    return { dir, code, stdout: io.out.join(""), stderr: io.err.join(""), texts };
  }
  it("reports each setting and exits 3 when one was not mapped, with the files written", () => {
    const r = run(MIGRATION, { ".goreleaser.yaml": "version: 2\n" });
    assert.equal(r.code, 3);
    assert.deepEqual(r.texts, ["version: 2\n"]);
    assert.match(
      r.stdout,
      /^\.goreleaser\.yaml:3: builds\[0\]\.goos: mapped to slipway:platforms\n\.goreleaser\.yaml:12: signs: signing is not supported; sign SHA256SUMS in CI\n/m,
    );
    assert.match(r.stdout, /^1 GoReleaser settings mapped, 1 not mapped$/m);
    const local = readFileSync(join(r.dir, "stacks/Pulumi.local.yaml"), "utf8");
    assert.match(local, /^ {2}slipway:archives: tar\.xz$/m);
    assert.match(local, /^ {4}- darwin\/arm64$/m);
  });
  it("exits 0 when everything was mapped; falls back to .goreleaser.yml", () => {
    const r = run({ ...MIGRATION, unmapped: [] }, { ".goreleaser.yml": "project_name: hello\n" });
    assert.equal(r.code, 0);
    assert.deepEqual(r.texts, ["project_name: hello\n"]);
    assert.match(r.stdout, /^\.goreleaser\.yml:3: /m);
  });
  it("reads a named file", () => {
    const r = run(
      { ...MIGRATION, unmapped: [] },
      { "ci/goreleaser.yaml": "named\n", ".goreleaser.yaml": "default\n" },
      "ci/goreleaser.yaml",
    );
    assert.deepEqual(r.texts, ["named\n"]);
    assert.match(r.stdout, /^ci\/goreleaser\.yaml:3: /m);
  });
});
