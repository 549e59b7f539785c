// Builds real packages with the toolchain's nfpm and reads them with Debian's tools (dpkg-deb, lintian,
// rpm, tar). Mocks prove nothing here: only the files do.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { nfpmConfig, stagedPackageFiles } from "../../plan/nfpmConfig";
import { planPackages } from "../../plan/packages";
import { planRelease } from "../../plan/releasePlan";
import { BuiltFile } from "../../providers/goBuild";
import {
  ReleaseExtrasInputs,
  ReleaseExtrasOutputs,
  buildReleaseExtras,
  mergeChecksums,
  releaseExtrasProvider,
  stagingDirectory,
} from "../../providers/releaseExtras";
import { releaseInput } from "../support/release";
import { requireTool } from "../support/tools";

const nfpm = requireTool("nfpm");
const lintian = requireTool("lintian");
const rpm = requireTool("rpm");
const sha256 = (data: string | Buffer) => createHash("sha256").update(data).digest("hex");

describe("mergeChecksums", () => {
  it("keeps the base lines and adds the new files, all in byte order", () => {
    const a = "a".repeat(64);
    const b = "b".repeat(64);
    const c = "c".repeat(64);
    assert.equal(
      mergeChecksums(`${a}  hello_linux.tar.gz\n${b}  Hello.zip\n`, { "hello_1.deb": c, "install.sh": a }),
      `${b}  Hello.zip\n${c}  hello_1.deb\n${a}  hello_linux.tar.gz\n${a}  install.sh\n`,
    );
  });

  const a = "a".repeat(64);
  const cases: { what: string; base: string; expected: string }[] = [
    { what: "a binary-mode line (sha256sum -b)", base: `${a} *hello.zip\n`, expected: `${a}  hello.zip\n` },
    { what: "a digest of 65 hex digits", base: `0${a}  hello.zip\n`, expected: "" },
    { what: "a line with something before the digest", base: ` ${a}  hello.zip\n`, expected: "" },
    // Cut short at the carriage return, the line would stand for an asset named "hello" that does not exist.
    { what: "a name broken by a carriage return", base: `${a}  hello\rworld.zip\n`, expected: "" },
    { what: "a line without a name", base: `${a}  \n`, expected: "" },
    { what: "CRLF line endings", base: `${a}  hello.zip\r\n`, expected: `${a}  hello.zip\n` },
  ];
  for (const { what, base, expected } of cases) {
    it(`reads ${what} in the base file as ${expected === "" ? "no checksum line" : "a checksum line"}`, () => {
      assert.equal(mergeChecksums(base, {}), expected);
    });
  }
});

/** The release-extras build around nfpm, and its provider: no packages, or a stand-in nfpm for what nfpm's failures and environment do. */
describe("ReleaseExtras without packages, and with a stand-in nfpm", () => {
  const EPOCH = 1_763_632_800;
  const BASE = `${"a".repeat(64)}  hello_1.4.0_linux_amd64.tar.gz\n`;
  const INSTALL = "#!/bin/sh\necho install\n";
  let root: string;
  let base: BuiltFile;
  let count = 0;
  /** A directory under root that does not exist yet. */
  const fresh = (): string => join(root, `out-${++count}`);

  function inputs(outputDir: string, overrides: Partial<ReleaseExtrasInputs> = {}): ReleaseExtrasInputs {
    return {
      nfpm: join(root, "no-nfpm"),
      outputDir,
      commitEpoch: EPOCH,
      packages: [],
      staged: { postinstall: "#!/bin/sh\necho installed\n", copyright: "MIT\n" },
      sourcesHash: "h1",
      texts: { "install.sh": INSTALL },
      baseChecksums: base,
      checksumsFile: "SHA256SUMS",
      ...overrides,
    };
  }

  /** The files a build of inputs(outputDir) publishes, as the outputs list them. */
  function published(outputDir: string, install = INSTALL): Record<string, BuiltFile> {
    const sums = `${BASE}${sha256(install)}  install.sh\n`;
    return {
      "install.sh": { path: join(outputDir, "files", "install.sh"), sha256: sha256(install), size: Buffer.byteLength(install) },
      SHA256SUMS: { path: join(outputDir, "files", "SHA256SUMS"), sha256: sha256(sums), size: Buffer.byteLength(sums) },
    };
  }

  /** An executable stand-in for nfpm: a shell script body. */
  function standIn(name: string, body: string): string {
    const path = join(root, name);
    writeFileSync(path, `#!/bin/sh\n${body}`, { mode: 0o755 });
    return path;
  }

  const PACKAGE = { name: "hello_1.4.0_linux_amd64.deb", format: "deb", config: "name: hello\n" };
  /** nfpm's arguments for PACKAGE built into outputDir. */
  const nfpmArgs = (outputDir: string): string =>
    `package --config ${outputDir}.partial/.${PACKAGE.name}.yaml --packager deb --target ${outputDir}.partial/${PACKAGE.name}`;

  before(() => {
    root = mkdtempSync(join(tmpdir(), "slipway-extras-"));
    writeFileSync(join(root, "SHA256SUMS"), BASE);
    base = { path: join(root, "SHA256SUMS"), sha256: sha256(BASE), size: BASE.length };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it("stages the packages' files in <outputDir>/staged", () => {
    assert.equal(stagingDirectory("/srv/hello/packages"), "/srv/hello/packages/staged");
  });

  it("refuses a base checksums file changed since the build, before touching anything", async () => {
    const outputDir = fresh();
    await assert.rejects(buildReleaseExtras(inputs(outputDir, { baseChecksums: { ...base, sha256: "f".repeat(64) } })), {
      message: `${base.path} changed since the build; run pulumi up again to rebuild`,
    });
    assert.equal(existsSync(outputDir), false);
    assert.equal(existsSync(`${outputDir}.partial`), false);
  });

  it("writes staged and published files 0644 with the commit time, whatever the umask", async () => {
    const outputDir = fresh();
    const umask = process.umask(0o002);
    try {
      await buildReleaseExtras(inputs(outputDir));
    } finally {
      process.umask(umask);
    }
    for (const path of [
      join(stagingDirectory(outputDir), "postinstall"),
      join(stagingDirectory(outputDir), "copyright"),
      join(outputDir, "files", "install.sh"),
      join(outputDir, "files", "SHA256SUMS"),
    ]) {
      const stat = statSync(path);
      assert.deepEqual([stat.mode.toString(8), stat.mtimeMs], ["100644", EPOCH * 1000], path);
    }
    assert.equal(readFileSync(join(stagingDirectory(outputDir), "postinstall"), "utf8"), "#!/bin/sh\necho installed\n");
  });

  it("creates into a directory whose parent does not exist yet, named by the output directory", async () => {
    const outputDir = join(root, "new", "nested", "packages");
    assert.deepEqual(await releaseExtrasProvider.create(inputs(outputDir)), {
      id: outputDir,
      outs: { ...inputs(outputDir), files: published(outputDir) },
    });
    assert.equal(readFileSync(join(outputDir, "files", "SHA256SUMS"), "utf8"), `${BASE}${sha256(INSTALL)}  install.sh\n`);
    assert.equal(readFileSync(join(outputDir, "files", "install.sh"), "utf8"), INSTALL);
  });

  it("replaces every file of a previous build, and what a failed build left behind", async () => {
    const outputDir = fresh();
    const olds = await buildReleaseExtras(inputs(outputDir, { texts: { "install.sh": INSTALL, "old.txt": "old\n" } }));
    mkdirSync(`${outputDir}.partial/leftover`, { recursive: true });
    writeFileSync(`${outputDir}.partial/leftover/file`, "from a failed build\n");
    const second = "#!/bin/sh\necho install 2\n";
    const news = inputs(outputDir, { staged: { copyright: "MIT\n" }, texts: { "install.sh": second } });
    assert.deepEqual(await releaseExtrasProvider.update?.(outputDir, olds, news), {
      outs: { ...news, files: published(outputDir, second) },
    });
    assert.deepEqual(readdirSync(join(outputDir, "files")).sort(), ["SHA256SUMS", "install.sh"]);
    assert.deepEqual(readdirSync(stagingDirectory(outputDir)), ["copyright"]);
    assert.equal(existsSync(`${outputDir}.partial`), false);
    assert.equal(readFileSync(join(outputDir, "files", "install.sh"), "utf8"), second);
  });

  const failures: { what: string; body: string; reason: (nfpm: string, outputDir: string) => string }[] = [
    {
      what: "the last four lines of its stderr",
      body: 'printf "\\nline 1\\nline 2\\nline 3\\nline 4\\nline 5\\n\\n" >&2\nexit 1\n',
      reason: () => "line 2 | line 3 | line 4 | line 5",
    },
    { what: "its one line of stderr", body: "echo 'Error: unknown packager' >&2\nexit 2\n", reason: () => "Error: unknown packager" },
    {
      what: "the exit status when it prints nothing",
      body: "exit 1\n",
      reason: (nfpm, outputDir) => `Command failed: ${nfpm} ${nfpmArgs(outputDir)}\n`,
    },
    {
      what: "the exit status when it prints only blanks",
      body: 'printf "  \\n\\t\\n" >&2\nexit 1\n',
      reason: (nfpm, outputDir) => `Command failed: ${nfpm} ${nfpmArgs(outputDir)}\n  \n\t\n`,
    },
  ];
  for (const [i, { what, body, reason }] of failures.entries()) {
    it(`reports a failed nfpm with its arguments and ${what}, and keeps the published files`, async () => {
      const outputDir = fresh();
      const before = await buildReleaseExtras(inputs(outputDir));
      const nfpm = standIn(`failing-nfpm-${i}`, body);
      await assert.rejects(buildReleaseExtras(inputs(outputDir, { nfpm, packages: [PACKAGE] })), {
        message: `nfpm ${nfpmArgs(outputDir)}: ${reason(nfpm, outputDir)}`,
      });
      assert.deepEqual(before.files, published(outputDir));
      for (const file of Object.values(before.files)) assert.equal(sha256(readFileSync(file.path)), file.sha256);
      assert.equal(existsSync(`${outputDir}.partial`), false, "a failed build leaves no staging directory");
    });
  }

  const environments: { what: string; path: string | undefined; expected: string }[] = [
    { what: "the caller's PATH", path: "/opt/tools/bin:/usr/bin:/bin", expected: "/opt/tools/bin:/usr/bin:/bin" },
    { what: "/usr/bin:/bin without a PATH", path: undefined, expected: "/usr/bin:/bin" },
  ];
  for (const { what, path, expected } of environments) {
    it(`runs nfpm with ${what}, SOURCE_DATE_EPOCH, HOME in the staging directory and nothing else of the caller's`, async () => {
      const outputDir = fresh();
      const nfpm = standIn(
        "env-nfpm",
        'echo "PATH=$PATH" >&2\necho "SOURCE_DATE_EPOCH=$SOURCE_DATE_EPOCH" >&2\necho "HOME=$HOME" >&2\necho "SECRET=${SLIPWAY_SECRET-unset}" >&2\nexit 1\n',
      );
      const saved = process.env.PATH;
      process.env.SLIPWAY_SECRET = "from the caller";
      if (path === undefined) delete process.env.PATH;
      else process.env.PATH = path;
      try {
        await assert.rejects(buildReleaseExtras(inputs(outputDir, { nfpm, packages: [PACKAGE] })), {
          message: `nfpm ${nfpmArgs(outputDir)}: PATH=${expected} | SOURCE_DATE_EPOCH=${EPOCH} | HOME=${outputDir}.partial | SECRET=unset`,
        });
      } finally {
        process.env.PATH = saved;
        delete process.env.SLIPWAY_SECRET;
      }
    });
  }

  describe("provider", () => {
    let outputDir: string;
    let olds: ReleaseExtrasOutputs;
    const NO_CHANGE = { changes: false, replaces: [], stables: [] };
    const CHANGE = { changes: true, replaces: [], stables: [] };

    before(async () => {
      outputDir = fresh();
      olds = await buildReleaseExtras(inputs(outputDir));
    });

    it("sees no change for the same inputs while the files are intact", async () => {
      assert.deepEqual(await releaseExtrasProvider.diff?.(outputDir, olds, inputs(outputDir)), NO_CHANGE);
    });

    const changedInputs: Partial<ReleaseExtrasInputs>[] = [
      { nfpm: "/usr/local/bin/nfpm" },
      { outputDir: "/srv/other" },
      { commitEpoch: EPOCH + 1 },
      { packages: [PACKAGE] },
      { staged: { postinstall: "#!/bin/sh\n", copyright: "MIT\n" } },
      { sourcesHash: "h2" },
      { texts: { "install.sh": "#!/bin/sh\n" } },
      { baseChecksums: { path: "/srv/hello/dist/SHA256SUMS", sha256: sha256(BASE), size: BASE.length } },
      { checksumsFile: "checksums.txt" },
    ];
    for (const changed of changedInputs) {
      it(`rebuilds when ${Object.keys(changed)[0]} changes`, async () => {
        assert.deepEqual(await releaseExtrasProvider.diff?.(outputDir, olds, inputs(outputDir, changed)), CHANGE);
      });
    }

    it("looks at the old files only when no input changed", async () => {
      // A directory where a file was cannot be hashed: reading it would throw.
      const unreadable = { ...olds, files: { "install.sh": { path: root, sha256: "c".repeat(64), size: 1 } } };
      assert.deepEqual(await releaseExtrasProvider.diff?.(outputDir, unreadable, inputs(outputDir, { sourcesHash: "h2" })), CHANGE);
    });

    const broken: { what: string; breakFile: (path: string) => void }[] = [
      { what: "deleted", breakFile: (path) => rmSync(path) },
      { what: "edited", breakFile: (path) => writeFileSync(path, "#!/bin/sh\necho edited\n") },
    ];
    for (const { what, breakFile } of broken) {
      it(`rebuilds for the same inputs when one published file was ${what}`, async () => {
        const dir = fresh();
        const outs = await buildReleaseExtras(inputs(dir));
        breakFile(outs.files["install.sh"]?.path as string);
        assert.deepEqual(await releaseExtrasProvider.diff?.(dir, outs, inputs(dir)), CHANGE);
      });
    }

    it("deletes the whole output directory, and a missing one quietly", async () => {
      const dir = fresh();
      const outs = await buildReleaseExtras(inputs(dir));
      await releaseExtrasProvider.delete?.(dir, outs);
      assert.equal(existsSync(dir), false);
      await releaseExtrasProvider.delete?.(dir, outs);
      assert.equal(existsSync(dir), false);
    });
  });
});

describe("ReleaseExtras with nfpm", { skip: nfpm.skip || lintian.skip || rpm.skip }, () => {
  const plan = planRelease(releaseInput({ platforms: ["linux/amd64"], description: "Says hello", licenses: "MIT" }));
  const packages = planPackages(
    {
      formats: ["deb", "rpm", "apk", "archlinux"],
      maintainer: "Jane Doe <jane@example.com>",
      homepage: "https://hello.example.com",
      files: [
        { src: "docs/hello.1.gz", dst: "/usr/share/man/man1/hello.1.gz" },
        { src: "hello.conf", dst: "/etc/hello/hello.conf", type: "config|noreplace", mode: "0640" },
      ],
      dependencies: ["ca-certificates"],
      scripts: { postinstall: "postinstall.sh" },
    },
    plan,
  );
  assert.ok(packages !== undefined);
  let dir: string;
  let first: ReleaseExtrasOutputs;

  function build(outputDir: string): Promise<ReleaseExtrasOutputs> {
    const paths = {
      binary: join(dir, "build", "hello_1.4.0_linux_amd64"),
      moduleDir: join(dir, "module"),
      stagingDir: stagingDirectory(outputDir),
    };
    return buildReleaseExtras({
      nfpm: nfpm.path as string,
      outputDir,
      commitEpoch: plan.commit.sourceDateEpoch,
      packages: (packages?.assets ?? []).map((asset) => ({
        name: asset.name,
        format: asset.format,
        config: nfpmConfig(plan, packages as never, asset, paths),
      })),
      staged: { ...stagedPackageFiles(plan, packages as never), postinstall: readFileSync(join(dir, "module", "postinstall.sh"), "utf8") },
      sourcesHash: "unused",
      texts: { "install.sh": "#!/bin/sh\n" },
      baseChecksums: { path: join(dir, "build", "SHA256SUMS"), sha256: sha256(readFileSync(join(dir, "build", "SHA256SUMS"))), size: 0 },
      checksumsFile: "SHA256SUMS",
    });
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "slipway-packages-"));
    mkdirSync(join(dir, "build"));
    mkdirSync(join(dir, "module", "docs"), { recursive: true });
    writeFileSync(join(dir, "build", "hello_1.4.0_linux_amd64"), "#!/bin/sh\necho hello 1.4.0\n", { mode: 0o755 });
    writeFileSync(join(dir, "build", "SHA256SUMS"), `${"a".repeat(64)}  hello_1.4.0_linux_amd64.tar.gz\n`);
    writeFileSync(join(dir, "module", "docs", "hello.1.gz"), gzipSync(".TH HELLO 1\n.SH NAME\nhello \\- says hello\n", { level: 9 }));
    writeFileSync(join(dir, "module", "hello.conf"), "greeting = hello\n");
    writeFileSync(join(dir, "module", "postinstall.sh"), "#!/bin/sh\nset -e\necho installed\n");
    first = await build(join(dir, "first"));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  it("lists every package and install.sh in the checksums file, after the Go build's lines", () => {
    const names = [
      "hello_1.4.0_linux_amd64.apk",
      "hello_1.4.0_linux_amd64.deb",
      "hello_1.4.0_linux_amd64.pkg.tar.zst",
      "hello_1.4.0_linux_amd64.rpm",
      "install.sh",
    ];
    assert.deepEqual(Object.keys(first.files).sort(), [...names, "SHA256SUMS"].sort());
    const sums = readFileSync(first.files.SHA256SUMS?.path as string, "utf8");
    assert.deepEqual(
      sums
        .trim()
        .split("\n")
        .map((line) => line.split("  ")[1]),
      [...names.slice(0, 4), "hello_1.4.0_linux_amd64.tar.gz", "install.sh"].sort(),
    );
    for (const name of names) assert.ok(sums.includes(`${sha256(readFileSync(first.files[name]?.path as string))}  ${name}\n`));
  });

  it("gives a .deb whose binary, unpacked into a scratch root, prints the released version", () => {
    const deb = first.files["hello_1.4.0_linux_amd64.deb"]?.path as string;
    const root = join(dir, "root");
    execFileSync("dpkg-deb", ["-x", deb, root]);
    assert.equal(execFileSync(join(root, "usr", "bin", "hello"), { encoding: "utf8" }), "hello 1.4.0\n");
    assert.equal(readFileSync(join(root, "etc", "hello", "hello.conf"), "utf8"), "greeting = hello\n");
    const control = execFileSync("dpkg-deb", ["-f", deb, "Package", "Version", "Architecture", "Maintainer", "Depends"], {
      encoding: "utf8",
    });
    assert.equal(
      control,
      "Package: hello\nVersion: 1.4.0-1\nArchitecture: amd64\nMaintainer: Jane Doe <jane@example.com>\nDepends: ca-certificates\n",
    );
    assert.equal(execFileSync("dpkg-deb", ["-I", deb, "conffiles"], { encoding: "utf8" }), "/etc/hello/hello.conf\n");
  });

  it("gives a .deb on which lintian finds no error", () => {
    const result = spawnSync(
      lintian.path as string,
      ["--tag-display-limit", "0", first.files["hello_1.4.0_linux_amd64.deb"]?.path as string],
      { encoding: "utf8" },
    );
    assert.deepEqual(
      result.stdout.split("\n").filter((line) => line.startsWith("E:")),
      [],
    );
  });

  it("gives an .rpm that rpm reads", () => {
    const info = execFileSync(
      rpm.path as string,
      [
        "-qp",
        "--queryformat",
        "%{NAME} %{VERSION} %{RELEASE} %{ARCH} %{LICENSE} %{BUILDHOST}\\n",
        first.files["hello_1.4.0_linux_amd64.rpm"]?.path as string,
      ],
      { encoding: "utf8" },
    );
    assert.equal(info, "hello 1.4.0 1 x86_64 MIT slipway\n");
    const listed = execFileSync(rpm.path as string, ["-qlp", first.files["hello_1.4.0_linux_amd64.rpm"]?.path as string], {
      encoding: "utf8",
    });
    assert.match(listed, /^\/usr\/bin\/hello$/m);
  });

  it("gives an .apk that lists its files", () => {
    const listed = execFileSync("tar", ["-tzf", first.files["hello_1.4.0_linux_amd64.apk"]?.path as string], { encoding: "utf8" });
    for (const file of ["usr/bin/hello", "etc/hello/hello.conf", "usr/share/man/man1/hello.1.gz", ".post-install"]) {
      assert.match(listed, new RegExp(`^${file.replace(/\./g, "\\.")}$`, "m"));
    }
  });

  it("gives byte-identical files when built again from the same commit", async () => {
    writeFileSync(join(dir, "module", "hello.conf"), "greeting = hello\n"); // a fresh mtime, same bytes
    const second = await build(join(dir, "second"));
    for (const [name, file] of Object.entries(first.files)) assert.equal(second.files[name]?.sha256, file.sha256, name);
  });
});
