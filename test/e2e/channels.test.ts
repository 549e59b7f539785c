// End to end, the install channels on the `local` stack: Linux packages, a Homebrew formula and a Scoop
// manifest committed to local git taps, install.sh. Each is read with its own tool (dpkg, rpm, lintian,
// tar, ruby, git, sh + curl against a 127.0.0.1 server), never with slipway's code.
import assert from "node:assert/strict";
import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { Server, createServer } from "node:http";
import { AddressInfo } from "node:net";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { TestRegistry, freePort, startRegistry } from "../support/registry";
import { requireTool } from "../support/tools";
import { digestOf, sha256File } from "./support/oci";
import { Checkout, runNodeScript } from "./support/project";
import { scratchDir } from "./support/scratch";

const PACKAGES = ["hello_1.4.0_linux_amd64.apk", "hello_1.4.0_linux_amd64.deb", "hello_1.4.0_linux_amd64.rpm"];
const ARCHIVES = ["hello_1.4.0_darwin_arm64.tar.gz", "hello_1.4.0_linux_amd64.tar.gz", "hello_1.4.0_windows_amd64.zip"];
const tools = ["dpkg", "rpm", "lintian", "ruby", "curl"].map(requireTool);
const skip = tools.find((t) => t.skip !== false)?.skip ?? false;

interface HistoryEntry {
  resourceChanges?: Record<string, number>;
}

describe("pulumi up --stack local with packages, taps and install.sh", { concurrency: false, skip }, () => {
  let project: Checkout;
  let registry: TestRegistry;
  const releaseDir = () => join(project.dir, "dist", "releases", "1.4.0");
  const tap = (kind: string) => join(project.dir, "taps", kind);
  const set = (path: string, value: string, ...flags: string[]) =>
    project.ok("config", "set", "--stack", "local", "--path", `slipway:${path}`, value, ...flags);
  const up = (...flags: string[]) => project.pulumi("up", "--stack", "local", "--yes", "--skip-preview", ...flags);
  const lastChanges = () =>
    (JSON.parse(project.ok("stack", "history", "--stack", "local", "--json")) as HistoryEntry[])[0]?.resourceChanges ?? {};
  const commits = (kind: string) => execFileSync("git", ["-C", tap(kind), "rev-list", "--count", "HEAD"], { encoding: "utf8" }).trim();

  before(async () => {
    project = new Checkout("channels-e2e");
    registry = await startRegistry();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "rm", "--stack", "local", "slipway:platforms");
    ["linux/amd64", "darwin/arm64", "windows/amd64"].forEach((p, i) => set(`platforms[${i}]`, p));
    set("imagePlatforms[0]", "linux/amd64");
    set("registries[0].address", registry.address);
    set("athens.port", String(await freePort()), "--type", "int");
    ["deb", "rpm", "apk"].forEach((f, i) => set(`packages.formats[${i}]`, f));
    set("packages.maintainer", "Hello Maintainers <hello@example.com>");
    set("packages.description", "Prints its version");
    set("homebrew.path", "taps/homebrew");
    set("scoop.path", "taps/scoop");
    project.ok("config", "set", "--stack", "local", "slipway:installScript", "true");
    // The Homebrew tap cannot be written: its path is a file.
    mkdirSync(join(project.dir, "taps"));
    writeFileSync(tap("homebrew"), "not a repository\n");
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
  });

  it("1. a tap that cannot be written fails alone: packages, image and release directory are published", async () => {
    const failed = up("--continue-on-error");
    assert.notEqual(failed.code, 0, failed.output.slice(-3000));
    assert.match(failed.output, /homebrew/);
    const files = readdirSync(releaseDir()).sort();
    for (const name of [...PACKAGES, ...ARCHIVES, "SHA256SUMS", "install.sh"])
      assert.ok(files.includes(name), `${name} in ${files.join(" ")}`);
    assert.ok((await digestOf(registry.address, "hello", "v1.4.0")) !== undefined, "the image is pushed");
    assert.equal(commits("scoop"), "1");
  });

  it("2. after fixing the tap a re-run finishes only the tap", () => {
    rmSync(tap("homebrew"));
    const published = Object.fromEntries(readdirSync(releaseDir()).map((n) => [n, sha256File(join(releaseDir(), n))]));
    const run = up();
    assert.equal(run.code, 0, run.output.slice(-3000));
    const changes = lastChanges();
    assert.ok((changes.create ?? 0) >= 1, JSON.stringify(changes));
    assert.deepEqual(
      Object.keys(changes).filter((k) => !["create", "same", "read"].includes(k)),
      [],
      JSON.stringify(changes),
    );
    assert.equal(commits("homebrew"), "1");
    assert.equal(commits("scoop"), "1");
    for (const [name, sha256] of Object.entries(published)) assert.equal(sha256File(join(releaseDir(), name)), sha256, name);
  });

  it("3. the packages are listed in the checksums and installed by dpkg, read by lintian, rpm and tar", () => {
    const dir = releaseDir();
    const check = execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: dir, encoding: "utf8" });
    for (const name of [...PACKAGES, "install.sh"]) assert.match(check, new RegExp(`^${name.replace(/\./g, "\\.")}: OK$`, "m"));
    // dpkg -i into a scratch root with an empty package database: what apt does, without touching this machine.
    const root = scratchDir("slipway-deb-");
    try {
      for (const sub of ["info", "updates"]) mkdirSync(join(root, "var", "lib", "dpkg", sub), { recursive: true });
      writeFileSync(join(root, "var", "lib", "dpkg", "status"), "");
      execFileSync("dpkg", ["--root", root, "--force-script-chrootless", "--log=/dev/null", "-i", join(dir, PACKAGES[1] as string)]);
      assert.match(execFileSync("dpkg", ["--root", root, "-s", "hello"], { encoding: "utf8" }), /^Status: install ok installed$/m);
      assert.equal(execFileSync(join(root, "usr", "bin", "hello"), ["-version"], { encoding: "utf8" }), "1.4.0\n");
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    const lintian = execFileSync("sh", ["-c", 'lintian --no-tag-display-limit "$0" || true', join(dir, PACKAGES[1] as string)], {
      encoding: "utf8",
    });
    assert.doesNotMatch(lintian, /^E: /m, lintian);
    const rpm = execFileSync("rpm", ["-qilp", join(dir, PACKAGES[2] as string)], { encoding: "utf8" });
    assert.match(rpm, /^Name\s*: hello$/m);
    assert.match(rpm, /^Version\s*: 1\.4\.0$/m);
    assert.match(rpm, /^\/usr\/bin\/hello$/m);
    const apk = execFileSync("tar", ["-tzf", join(dir, PACKAGES[0] as string)], { encoding: "utf8" });
    assert.match(apk, /^usr\/bin\/hello$/m);
  });

  it("4. the formula and the manifest parse and carry the archives' sha256s; each tap holds one commit", () => {
    const formula = join(tap("homebrew"), "Formula", "hello.rb");
    assert.equal(execFileSync("ruby", ["-c", formula], { encoding: "utf8" }).trim(), "Syntax OK");
    const text = readFileSync(formula, "utf8");
    const shas = [...text.matchAll(/sha256 "([0-9a-f]{64})"/g)].map((m) => m[1]).sort();
    const unix = ARCHIVES.filter((a) => !a.includes("windows")).map((a) => sha256File(join(releaseDir(), a)));
    assert.deepEqual(shas, unix.sort());
    const manifest = JSON.parse(readFileSync(join(tap("scoop"), "bucket", "hello.json"), "utf8")) as {
      version: string;
      architecture: Record<string, { hash: string }>;
    };
    assert.equal(manifest.version, "1.4.0");
    assert.equal(manifest.architecture["64bit"]?.hash, sha256File(join(releaseDir(), "hello_1.4.0_windows_amd64.zip")));
  });

  it("5. install.sh installs from a 127.0.0.1 server serving the release directory", async () => {
    const dir = releaseDir();
    const server: Server = createServer((request, response) => {
      const name = (request.url ?? "").slice(1);
      if (!/^[A-Za-z0-9._-]+$/.test(name) || !readdirSync(dir).includes(name)) {
        response.statusCode = 404;
        response.end();
        return;
      }
      response.end(readFileSync(join(dir, name)));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const bindir = join(scratchDir("slipway-install-"), "bin");
    try {
      const output = await new Promise<string>((resolve, reject) =>
        execFile(
          "sh",
          ["-c", 'curl -fsSL "$INSTALL_BASE_URL/install.sh" | sh -s -- -b "$0"', bindir],
          { env: { ...process.env, INSTALL_BASE_URL: base }, encoding: "utf8" },
          (error, stdout, stderr) => (error === null ? resolve(stdout) : reject(new Error(`${error.message}\n${stderr}`))),
        ),
      );
      assert.match(output, /^installed .*\/hello/m);
      assert.equal(execFileSync(join(bindir, "hello"), ["-version"], { encoding: "utf8" }), "1.4.0\n");
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("6. a second pulumi up is a no-op; a package deleted from the release directory comes back alone", () => {
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    const deb = join(releaseDir(), PACKAGES[1] as string);
    const sha256 = sha256File(deb);
    rmSync(deb);
    const run = up();
    assert.equal(run.code, 0, run.output.slice(-3000));
    const changes = Object.entries(lastChanges()).filter(([kind]) => kind !== "same" && kind !== "read");
    assert.deepEqual(changes, [["update", 1]], "only the release directory");
    assert.equal(sha256File(deb), sha256);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
  });

  it("7. slipway verify checks each channel and fails naming the one whose tap no longer matches", async () => {
    const slipway = (...args: string[]) =>
      runNodeScript(join(project.dir, "bin", "slipway.js"), args, { cwd: project.dir, env: { ...project.env, CI: "true" } });
    // The whole release passes, the one-platform image (a plain manifest, not an index) included.
    const good = await slipway("verify", "1.4.0", "--stack", "local");
    assert.equal(good.code, 0, good.stdout);
    assert.doesNotMatch(good.stdout, /^\[FAIL\]/m);
    for (const channel of ["packages", "installScript", "homebrew", "scoop"]) {
      assert.match(good.stdout, new RegExp(`^\\[ok\\] +${channel}: `, "m"), good.stdout);
    }
    const formula = join(tap("homebrew"), "Formula", "hello.rb");
    writeFileSync(formula, readFileSync(formula, "utf8").replace(/sha256 "[0-9a-f]{64}"/, `sha256 "${"0".repeat(64)}"`));
    execFileSync("git", ["-C", tap("homebrew"), "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qam", "edited"]);
    const bad = await slipway("verify", "1.4.0", "--stack", "local");
    assert.equal(bad.code, 1);
    assert.match(
      bad.stdout,
      new RegExp(`^\\[FAIL\\] homebrew: .*sha256 ${"0".repeat(64)} in Formula/hello\\.rb is not a published archive's$`, "m"),
    );
    assert.doesNotMatch(bad.stdout, /^\[FAIL\] (packages|installScript|scoop):/m);
  });
});
