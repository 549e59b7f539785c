import assert from "node:assert/strict";
import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { arch, tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { INSTALL_SCRIPT, renderInstallScript } from "../../plan/installScript";
import { planRelease } from "../../plan/releasePlan";
import { assertGolden } from "../support/golden";
import { releaseInput } from "../support/release";
import { requireTool } from "../support/tools";

const PLAN = planRelease(
  releaseInput({
    platforms: ["linux/amd64", "linux/arm64", "linux/arm/v7", "darwin/arm64", "windows/amd64"],
    archives: { format: "tar.gz", wrapInDirectory: true },
  }),
);
const shellcheck = requireTool("shellcheck");
const curl = requireTool("curl");

describe("install.sh", () => {
  const script = renderInstallScript(PLAN, "https://github.com/acme/hello/releases/download/v1.4.0");

  it("is rendered from the plan's tar archives", () => {
    assertGolden("packages/install.sh", script);
  });

  it("is published as install.sh", () => {
    assert.equal(INSTALL_SCRIPT, "install.sh");
  });

  it("is shellcheck-clean", { skip: shellcheck.skip }, () => {
    const result = spawnSync(shellcheck.path as string, ["--shell=sh", "-"], { input: script, encoding: "utf8" });
    assert.equal(result.stdout + result.stderr, "");
    assert.equal(result.status, 0);
  });
});

describe("install.sh for two programs in unwrapped archives", () => {
  const plan = planRelease(
    releaseInput({
      platforms: ["linux/amd64", "darwin/arm64"],
      builds: [
        { main: "./cmd/hi", binary: "hi" },
        { main: "./cmd/helloctl", binary: "helloctl" },
      ],
    }),
  );
  const script = renderInstallScript(plan, "https://mirror.example/it's/v1.4.0");

  it("lists both executables, no directory, and quotes the base URL's apostrophe", () => {
    assertGolden("install-two-programs.sh", script);
  });

  it("gives the shell back the base URL as written", () => {
    const assignment = script.split("\n").find((line) => line.startsWith("base_url="));
    assert.ok(assignment !== undefined);
    const result = spawnSync("sh", ["-c", `${assignment}\nprintf %s "$base_url"`], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    assert.equal(result.stdout, "https://mirror.example/it's/v1.4.0");
  });
});

describe("install.sh against a local HTTP server", { skip: curl.skip || (arch() === "x64" ? false : "needs linux/amd64") }, () => {
  const plan = planRelease(releaseInput({ platforms: ["linux/amd64"], archives: { format: "tar.gz", wrapInDirectory: true } }));
  const archive = plan.assets.archives[0]?.name as string;
  let dir: string;
  let server: Server;
  let baseUrl: string;
  let files: Record<string, Buffer>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "slipway-install-"));
    const stage = join(dir, "stage", plan.assets.archives[0]?.directory as string);
    mkdirSync(stage, { recursive: true });
    writeFileSync(join(stage, "hello"), "#!/bin/sh\necho hello 1.4.0\n");
    chmodSync(join(stage, "hello"), 0o755);
    execFileSync("tar", ["-czf", join(dir, archive), "-C", join(dir, "stage"), "."]);
    const bytes = readFileSync(join(dir, archive));
    const sums = `${createHash("sha256").update(bytes).digest("hex")}  ${archive}\n`;
    files = { [`/${archive}`]: bytes, "/SHA256SUMS": Buffer.from(sums), "/install.sh": Buffer.from(renderInstallScript(plan, "unused")) };
    server = createServer((request, response) => {
      const body = files[request.url ?? ""];
      response.statusCode = body === undefined ? 404 : 200;
      response.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  // Asynchronous: the server answers from this process's event loop.
  function install(bindir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        "sh",
        ["-c", `curl -fsSL "$INSTALL_BASE_URL/install.sh" | sh -s -- -b "$0"`, bindir],
        { env: { ...process.env, INSTALL_BASE_URL: baseUrl }, encoding: "utf8" },
        (error, stdout, stderr) => {
          if (error !== null && typeof error.code !== "number") reject(new Error(error.message));
          else resolve({ status: error === null ? 0 : (error.code as number), stdout, stderr });
        },
      );
    });
  }

  it("installs the program into the chosen directory", async () => {
    const bindir = join(dir, "prefix", "bin");
    const result = await install(bindir);
    assert.equal(result.stderr, "");
    assert.equal(result.stdout, `installed ${bindir}/hello (hello 1.4.0)\n`);
    assert.equal(execFileSync(join(bindir, "hello"), { encoding: "utf8" }), "hello 1.4.0\n");
  });

  it("refuses a tampered archive and installs nothing", async () => {
    const original = files[`/${archive}`] as Buffer;
    files[`/${archive}`] = Buffer.concat([original, Buffer.from("tampered")]);
    try {
      const bindir = join(dir, "tampered", "bin");
      const result = await install(bindir);
      assert.equal(result.status, 1);
      assert.match(
        result.stderr,
        new RegExp(
          `^install.sh: ${archive.replace(/\./g, "\\.")} does not match SHA256SUMS \\(sha256 [0-9a-f]{64}, expected [0-9a-f]{64}\\): not installed\n$`,
        ),
      );
      assert.equal(existsSync(bindir), false);
    } finally {
      files[`/${archive}`] = original;
    }
  });
});
