// Builds real packages with the toolchain's nfpm and reads them with Debian's tools (dpkg-deb, lintian,
// rpm, tar). Mocks prove nothing here: only the files do.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { after, before, describe, it } from "node:test";
import { nfpmConfig, stagedPackageFiles } from "../../plan/nfpmConfig";
import { planPackages } from "../../plan/packages";
import { planRelease } from "../../plan/releasePlan";
import { ReleaseExtrasOutputs, buildReleaseExtras, mergeChecksums, stagingDirectory } from "../../providers/releaseExtras";
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
