import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SlipwayInputError } from "../../plan/errors";
import { nfpmConfig, stagedPackageFiles } from "../../plan/nfpmConfig";
import { PackagesPlan, packageSources, planPackages } from "../../plan/packages";
import { planRelease } from "../../plan/releasePlan";
import { assertGolden } from "../support/golden";
import { releaseInput, twoBuildsInput } from "../support/release";

const PLAN = planRelease(
  releaseInput({
    platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7", "darwin/arm64"],
    description: "Says hello",
    source: "https://github.com/acme/hello",
    licenses: "MIT",
  }),
);
const MINIMAL = { formats: ["deb"], maintainer: "Jane Doe <jane@example.com>" };
const FULL = {
  formats: ["rpm", "deb", "apk", "archlinux"],
  maintainer: "Jane Doe <jane@example.com>",
  vendor: "Acme",
  homepage: "https://hello.example.com",
  description: "Says hello\nto everyone",
  license: "Apache-2.0",
  bindir: "/usr/local/bin",
  files: [
    { src: "docs/hello.1", dst: "/usr/share/man/man1/hello.1" },
    { src: "./completions/hello.bash", dst: "/usr/share/bash-completion/completions/hello", type: "file", mode: "644" },
    { src: "packaging/hello.conf", dst: "/etc/hello/hello.conf", type: "config|noreplace", mode: "0640" },
  ],
  dependencies: ["git (>= 2.30)", "ca-certificates", "git (>= 2.30)"],
  scripts: { postinstall: "packaging/postinstall.sh", preremove: "packaging/preremove.sh" },
};

function plan(raw: unknown): PackagesPlan {
  const packages = planPackages(raw, PLAN);
  assert.ok(packages !== undefined);
  return packages;
}

describe("planPackages", () => {
  it("plans nothing when the setting is unset", () => {
    assert.equal(planPackages(undefined, PLAN), undefined);
  });

  it("takes the release's metadata and the linux binaries of the program's build by default", () => {
    const packages = plan(MINIMAL);
    assert.deepEqual(
      { ...packages, assets: undefined },
      {
        formats: ["deb"],
        build: "hello",
        maintainer: "Jane Doe <jane@example.com>",
        vendor: undefined,
        homepage: "https://github.com/acme/hello",
        description: "Says hello",
        license: "MIT",
        bindir: "/usr/bin",
        files: [],
        dependencies: [],
        scripts: {},
        assets: undefined,
      },
    );
    assert.deepEqual(
      packages.assets.map((a) => [a.name, a.arch, a.binary]),
      [
        ["hello_1.4.0_linux_amd64.deb", "amd64", "hello_1.4.0_linux_amd64"],
        ["hello_1.4.0_linux_arm64.deb", "arm64", "hello_1.4.0_linux_arm64"],
        ["hello_1.4.0_linux_armv7.deb", "arm7", "hello_1.4.0_linux_armv7"],
      ],
    );
  });

  it("orders formats canonically, normalises modes, sorts and de-duplicates dependencies", () => {
    const packages = plan(FULL);
    assert.deepEqual(packages.formats, ["deb", "rpm", "apk", "archlinux"]);
    assert.deepEqual(
      packages.files.map((f) => [f.src, f.type, f.mode]),
      [
        ["docs/hello.1", "file", "0644"],
        ["completions/hello.bash", "file", "0644"],
        ["packaging/hello.conf", "config|noreplace", "0640"],
      ],
    );
    assert.deepEqual(packages.dependencies, ["ca-certificates", "git (>= 2.30)"]);
    assert.deepEqual(
      packages.assets.filter((a) => a.platform === "linux/amd64").map((a) => a.name),
      ["hello_1.4.0_linux_amd64.deb", "hello_1.4.0_linux_amd64.rpm", "hello_1.4.0_linux_amd64.apk", "hello_1.4.0_linux_amd64.pkg.tar.zst"],
    );
    assert.deepEqual(packageSources(packages), [
      { key: "packages.files[0].src", path: "docs/hello.1" },
      { key: "packages.files[1].src", path: "completions/hello.bash" },
      { key: "packages.files[2].src", path: "packaging/hello.conf" },
      { key: "packages.scripts.postinstall", path: "packaging/postinstall.sh" },
      { key: "packages.scripts.preremove", path: "packaging/preremove.sh" },
    ]);
  });

  const PATH_FIX = "fix: use a relative path without '..', e.g. docs/hello.1";
  const ABSOLUTE_FIX = "fix: e.g. /usr/share/man/man1/hello.1";
  const refused: [string, unknown, string][] = [
    [
      "not an object",
      "deb",
      'slipway:packages = "deb": must be an object; fix: e.g. {formats: [deb, rpm], maintainer: Jane Doe <jane@example.com>}',
    ],
    [
      "unknown field",
      { ...MINIMAL, arch: "x" },
      'slipway:packages.arch = "x": unknown field; fix: use only formats, build, maintainer, vendor, homepage, description, license, bindir, files, dependencies, scripts',
    ],
    [
      "unknown package format",
      { ...MINIMAL, formats: ["deb", "msi"] },
      'slipway:packages.formats[1] = "msi": unknown package format; fix: use deb, rpm, apk, archlinux',
    ],
    [
      "no formats",
      { ...MINIMAL, formats: [] },
      "slipway:packages.formats = []: no package formats; fix: list some of deb, rpm, apk, archlinux",
    ],
    [
      "a format twice",
      { ...MINIMAL, formats: ["deb", "deb"] },
      'slipway:packages.formats[1] = "deb": listed twice; fix: list each format once',
    ],
    [
      "maintainer without e-mail",
      { ...MINIMAL, maintainer: "Jane Doe" },
      'slipway:packages.maintainer = "Jane Doe": packages need a maintainer with an e-mail address; fix: write it as Name <e-mail>, e.g. Jane Doe <jane@example.com>',
    ],
    [
      "no maintainer",
      { formats: ["deb"] },
      "slipway:packages.maintainer = (unset): packages need a maintainer with an e-mail address; fix: write it as Name <e-mail>, e.g. Jane Doe <jane@example.com>",
    ],
    [
      "homepage not a URL",
      { ...MINIMAL, homepage: "example.com" },
      'slipway:packages.homepage = "example.com": not an http(s) URL; fix: e.g. https://example.com/hello',
    ],
    ["unknown build", { ...MINIMAL, build: "other" }, 'slipway:packages.build = "other": no build has this id; fix: use one of hello'],
    [
      "relative bindir",
      { ...MINIMAL, bindir: "bin" },
      'slipway:packages.bindir = "bin": not an absolute path on the installed system; fix: e.g. /usr/bin',
    ],
    [
      "file outside the module",
      { ...MINIMAL, files: [{ src: "../x", dst: "/x" }] },
      "slipway:packages.files[0].src = \"../x\": not a path inside the module; fix: use a relative path without '..', e.g. docs/hello.1",
    ],
    [
      "relative dst",
      { ...MINIMAL, files: [{ src: "x", dst: "x" }] },
      'slipway:packages.files[0].dst = "x": not an absolute path on the installed system; fix: e.g. /usr/share/man/man1/hello.1',
    ],
    [
      "file over the binary",
      { ...MINIMAL, files: [{ src: "x", dst: "/usr/bin/hello" }] },
      'slipway:packages.files[0].dst = "/usr/bin/hello": two files install to this path; fix: give each file its own dst',
    ],
    [
      "bad mode",
      { ...MINIMAL, files: [{ src: "x", dst: "/x", mode: 644 }] },
      'slipway:packages.files[0].mode = 644: not an octal file mode; fix: quote it, e.g. mode: "0644"',
    ],
    [
      "bad type",
      { ...MINIMAL, files: [{ src: "x", dst: "/x", type: "dir" }] },
      'slipway:packages.files[0].type = "dir": unknown file type; fix: use file, config, config|noreplace, doc',
    ],
    [
      "bad dependency",
      { ...MINIMAL, dependencies: ["git >= 2"] },
      'slipway:packages.dependencies[0] = "git >= 2": not a package dependency; fix: write a package name, optionally with one constraint, e.g. ca-certificates or git (>= 2.30)',
    ],
    [
      "unknown script",
      { ...MINIMAL, scripts: { postupgrade: "x" } },
      'slipway:packages.scripts.postupgrade = "x": unknown field; fix: use only preinstall, postinstall, preremove, postremove',
    ],
    ["formats not a list", { ...MINIMAL, formats: "deb" }, 'slipway:packages.formats = "deb": must be a list; fix: write formats: [ ... ]'],
    ["files not a list", { ...MINIMAL, files: "x" }, 'slipway:packages.files = "x": must be a list; fix: write files: [ ... ]'],
    [
      "dependencies not a list",
      { ...MINIMAL, dependencies: "git" },
      'slipway:packages.dependencies = "git": must be a list; fix: write dependencies: [ ... ]',
    ],
    [
      "a dependency that is not a string",
      { ...MINIMAL, dependencies: [5] },
      "slipway:packages.dependencies[0] = 5: not a package dependency; fix: write a package name, optionally with one constraint, e.g. ca-certificates or git (>= 2.30)",
    ],
    [
      "a maintainer that is not a string",
      { ...MINIMAL, maintainer: 5 },
      "slipway:packages.maintainer = 5: must be a non-empty string; fix: quote the value, or remove the field",
    ],
    [
      "a blank vendor",
      { ...MINIMAL, vendor: "  " },
      'slipway:packages.vendor = "  ": must be a non-empty string; fix: quote the value, or remove the field',
    ],
    [
      "a homepage that is not a string",
      { ...MINIMAL, homepage: 5 },
      "slipway:packages.homepage = 5: must be a non-empty string; fix: quote the value, or remove the field",
    ],
    [
      "a build that is not a string",
      { ...MINIMAL, build: 5 },
      "slipway:packages.build = 5: must be a non-empty string; fix: quote the value, or remove the field",
    ],
    [
      "an empty description",
      { ...MINIMAL, description: "" },
      'slipway:packages.description = "": must be a non-empty string; fix: quote the value, or remove the field',
    ],
    [
      "a license that is not a string",
      { ...MINIMAL, license: true },
      "slipway:packages.license = true: must be a non-empty string; fix: quote the value, or remove the field",
    ],
    [
      "junk before the maintainer",
      { ...MINIMAL, maintainer: "<x> Jane <jane@example.com>" },
      'slipway:packages.maintainer = "<x> Jane <jane@example.com>": packages need a maintainer with an e-mail address; fix: write it as Name <e-mail>, e.g. Jane Doe <jane@example.com>',
    ],
    [
      "junk after the maintainer",
      { ...MINIMAL, maintainer: "Jane <jane@example.com> (team)" },
      'slipway:packages.maintainer = "Jane <jane@example.com> (team)": packages need a maintainer with an e-mail address; fix: write it as Name <e-mail>, e.g. Jane Doe <jane@example.com>',
    ],
    [
      "junk before the homepage",
      { ...MINIMAL, homepage: "see https://example.com" },
      'slipway:packages.homepage = "see https://example.com": not an http(s) URL; fix: e.g. https://example.com/hello',
    ],
    [
      "a blank in the homepage",
      { ...MINIMAL, homepage: "https://example.com/a b" },
      'slipway:packages.homepage = "https://example.com/a b": not an http(s) URL; fix: e.g. https://example.com/hello',
    ],
    [
      "a file entry that is not an object",
      { ...MINIMAL, files: ["docs/hello.1"] },
      'slipway:packages.files[0] = "docs/hello.1": must be an object; fix: e.g. {src: docs/hello.1, dst: /usr/share/man/man1/hello.1}',
    ],
    [
      "a src that is not a string",
      { ...MINIMAL, files: [{ src: 5, dst: "/x" }] },
      `slipway:packages.files[0].src = 5: not a path inside the module; ${PATH_FIX}`,
    ],
    [
      "a src with a blank",
      { ...MINIMAL, files: [{ src: "docs/hello 1", dst: "/x" }] },
      `slipway:packages.files[0].src = "docs/hello 1": not a path inside the module; ${PATH_FIX}`,
    ],
    [
      "a src ending in ..",
      { ...MINIMAL, files: [{ src: "docs/..", dst: "/x" }] },
      `slipway:packages.files[0].src = "docs/..": not a path inside the module; ${PATH_FIX}`,
    ],
    [
      "a dst not starting with /",
      { ...MINIMAL, files: [{ src: "x", dst: "usr/share/x" }] },
      `slipway:packages.files[0].dst = "usr/share/x": not an absolute path on the installed system; ${ABSOLUTE_FIX}`,
    ],
    [
      "a dst with a blank",
      { ...MINIMAL, files: [{ src: "x", dst: "/usr/share/a b" }] },
      `slipway:packages.files[0].dst = "/usr/share/a b": not an absolute path on the installed system; ${ABSOLUTE_FIX}`,
    ],
    [
      "a five-digit mode",
      { ...MINIMAL, files: [{ src: "x", dst: "/x", mode: "10644" }] },
      'slipway:packages.files[0].mode = "10644": not an octal file mode; fix: quote it, e.g. mode: "0644"',
    ],
    [
      "a mode with a digit too many",
      { ...MINIMAL, files: [{ src: "x", dst: "/x", mode: "06444" }] },
      'slipway:packages.files[0].mode = "06444": not an octal file mode; fix: quote it, e.g. mode: "0644"',
    ],
    [
      "a null file entry",
      { ...MINIMAL, files: [null] },
      "slipway:packages.files[0] = null: must be an object; fix: e.g. {src: docs/hello.1, dst: /usr/share/man/man1/hello.1}",
    ],
    [
      "scripts that are not an object",
      { ...MINIMAL, scripts: ["x.sh"] },
      'slipway:packages.scripts = ["x.sh"]: must be an object; fix: e.g. {postinstall: packaging/postinstall.sh}',
    ],
    [
      "a script outside the module",
      { ...MINIMAL, scripts: { preinstall: "/etc/x.sh" } },
      `slipway:packages.scripts.preinstall = "/etc/x.sh": not a path inside the module; ${PATH_FIX}`,
    ],
  ];
  for (const [title, raw, message] of refused) {
    it(`refuses ${title} in one line`, () => {
      assert.throws(
        () => planPackages(raw, PLAN),
        (error: unknown) => error instanceof SlipwayInputError && error.message === message,
      );
    });
  }

  it("packages only the linux binaries, each format for each linux platform", () => {
    assert.deepEqual(
      plan({ ...MINIMAL, formats: ["rpm", "deb"] }).assets.map((a) => `${a.format} ${a.platform} ${a.arch} ${a.name}`),
      [
        "deb linux/amd64 amd64 hello_1.4.0_linux_amd64.deb",
        "deb linux/arm64 arm64 hello_1.4.0_linux_arm64.deb",
        "deb linux/arm/v7 arm7 hello_1.4.0_linux_armv7.deb",
        "rpm linux/amd64 amd64 hello_1.4.0_linux_amd64.rpm",
        "rpm linux/arm64 arm64 hello_1.4.0_linux_arm64.rpm",
        "rpm linux/arm/v7 arm7 hello_1.4.0_linux_armv7.rpm",
      ],
    );
  });

  it("keeps ./ inside a source path and takes a plain http homepage", () => {
    const packages = plan({
      ...MINIMAL,
      homepage: "http://hello.example.com",
      files: [{ src: "docs/./hello.1", dst: "/usr/share/man/man1/hello.1" }],
    });
    assert.equal(packages.homepage, "http://hello.example.com");
    assert.equal(packages.files[0]?.src, "docs/./hello.1");
  });

  it("refuses an unknown build naming every build", () => {
    const twoBuilds = planRelease(twoBuildsInput());
    assert.throws(() => planPackages({ ...MINIMAL, build: "other" }, twoBuilds), {
      message: 'slipway:packages.build = "other": no build has this id; fix: use one of hello, helper',
    });
    assert.deepEqual(
      planPackages({ ...MINIMAL, build: "helper" }, twoBuilds)?.assets.map((a) => a.binary),
      ["helper_1.4.0_linux_amd64"],
    );
  });

  it("refuses a build without linux binaries", () => {
    const darwinOnly = planRelease(releaseInput({ platforms: ["darwin/arm64"] }));
    assert.throws(() => planPackages(MINIMAL, darwinOnly), {
      message: 'slipway:packages.build = "hello": builds no linux binary to package; fix: add linux platforms to that build',
    });
  });
});

describe("nfpmConfig", () => {
  it("stages a Debian copyright file and nfpm's changelog", () => {
    const staged = stagedPackageFiles(PLAN, plan(FULL));
    assertGolden("packages/copyright", staged.copyright ?? "");
    assertGolden("packages/changelog.yml", staged["changelog.yml"] ?? "");
    assert.equal(staged["lintian-overrides"], "hello: statically-linked-binary\n");
  });

  it("writes no Source line and NOASSERTION as the license when the release names neither", () => {
    const bare = planRelease(releaseInput({}));
    const packages = planPackages(MINIMAL, bare);
    assert.ok(packages !== undefined);
    assert.equal(
      stagedPackageFiles(bare, packages).copyright,
      [
        "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
        "Upstream-Name: hello",
        "",
        "Files: *",
        "Copyright: Jane Doe <jane@example.com>",
        "License: NOASSERTION",
        "",
      ].join("\n"),
    );
  });

  const paths = { binary: "/build/hello/hello_1.4.0_linux_amd64", moduleDir: "/src/hello", stagingDir: "/build/hello-packages/.staged" };

  it("renders the full configuration of a package", () => {
    const packages = plan(FULL);
    const asset = packages.assets.find((a) => a.format === "rpm" && a.platform === "linux/amd64");
    assert.ok(asset !== undefined);
    assertGolden("packages/nfpm-full.yaml", nfpmConfig(PLAN, packages, asset, paths));
  });

  it("renders the minimal configuration, without scripts or dependencies", () => {
    const packages = plan(MINIMAL);
    assertGolden("packages/nfpm-minimal.yaml", nfpmConfig(PLAN, packages, packages.assets[2] as never, paths));
  });
});
