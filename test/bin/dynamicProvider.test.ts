// bin/dynamic-provider: the launcher Pulumi.yaml names as the `pulumi-nodejs` provider plugin. Each case
// starts it as the engine does (an engine address as the argument, the project as the working directory),
// waits for the port it prints, asks the host for its plugin info over gRPC, and then reads which of the
// closure serialiser's dependencies and source-map-support were evaluated (recorded by a --require probe in
// the process).
import { ChildProcess, spawn } from "node:child_process";
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import * as build from "../../scripts/build.cjs";

const REPO = join(__dirname, "..", "..");
const PLUGIN_DIR = join(REPO, "bin", "dynamic-provider");
const SDK_DIR = dirname(require.resolve("@pulumi/pulumi/package.json"));
const scratch = mkdtempSync(join(tmpdir(), "slipway-dynamic-provider-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Appends the path of every evaluated file of TypeScript's compiler, npm's Arborist or source-map-support to `record`. */
const PROBE = `const Module = require("node:module");
const { appendFileSync } = require("node:fs");
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (/[\\\\/](typescript|arborist|source-map-support)[\\\\/]/.test(filename)) appendFileSync(process.env.PROBE_RECORD, filename + "\\n");
  return compile.call(this, content, filename);
};
`;
const probe = join(scratch, "probe.cjs");
writeFileSync(probe, PROBE);

interface Started {
  readonly child: ChildProcess;
  readonly port: string;
  readonly record: string;
}

/** Starts `command` as the engine starts a provider plugin and resolves with the port it prints. */
function start(command: string, args: readonly string[], name: string): Promise<Started> {
  const record = join(scratch, `${name}.loaded`);
  writeFileSync(record, "");
  const child = spawn(command, [...args, "127.0.0.1:1"], {
    cwd: REPO,
    env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, PROBE_RECORD: record },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name}: no port within 30 s; stderr: ${stderr}`)), 30_000);
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
      const port = /^(\d+)\n/.exec(stdout)?.[1];
      if (port === undefined) return;
      clearTimeout(timer);
      resolve({ child, port, record });
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited ${String(code)} before printing a port; stderr: ${stderr}`));
    });
  });
}

interface PluginInfoClient {
  getPluginInfo(request: unknown, callback: (error: Error | null, response: { getVersion(): string }) => void): void;
  close(): void;
}

/** The host's answer to the engine's first question, GetPluginInfo: its version. */
async function pluginVersion(port: string): Promise<string> {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const grpc = require(require.resolve("@grpc/grpc-js", { paths: [SDK_DIR] })) as { credentials: { createInsecure(): unknown } };
  const { ResourceProviderClient } = require("@pulumi/pulumi/proto/provider_grpc_pb") as {
    ResourceProviderClient: new (address: string, credentials: unknown) => PluginInfoClient;
  };
  const { Empty } = require("google-protobuf/google/protobuf/empty_pb") as { Empty: new () => unknown };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  try {
    return await new Promise((resolve, reject) =>
      client.getPluginInfo(new Empty(), (error, response) => (error === null ? resolve(response.getVersion()) : reject(error))),
    );
  } finally {
    client.close();
  }
}

async function stop(started: Started): Promise<string[]> {
  const exited = new Promise((resolve) => started.child.once("exit", resolve));
  started.child.kill("SIGTERM");
  await exited;
  return readFileSync(started.record, "utf8").split("\n").filter(Boolean);
}

const SDK_VERSION = (JSON.parse(readFileSync(join(SDK_DIR, "package.json"), "utf8")) as { version: string }).version;

describe("bin/dynamic-provider", () => {
  // The launcher loads the deferral from lib/, which a fresh clone has only once something has built it.
  before(() => build.buildIfStale(REPO));

  it("starts the project's @pulumi/pulumi provider host, which answers the engine, without evaluating TypeScript, Arborist or source-map-support", async () => {
    const started = await start(join(PLUGIN_DIR, "pulumi-resource-pulumi-nodejs"), [], "launcher");
    assert.equal(await pluginVersion(started.port), SDK_VERSION);
    assert.deepEqual(await stop(started), []);
  });

  it("the probe sees all three modules evaluated when the SDK's host is started directly (what the launcher saves)", async () => {
    const host = require.resolve("@pulumi/pulumi/cmd/dynamic-provider");
    const started = await start(process.execPath, [host], "sdk");
    assert.equal(await pluginVersion(started.port), SDK_VERSION);
    const loaded = await stop(started);
    assert.ok(
      loaded.some((file) => /[\\/]typescript[\\/]/.test(file)),
      loaded.join("\n"),
    );
    assert.ok(
      loaded.some((file) => /[\\/]arborist[\\/]/.test(file)),
      loaded.join("\n"),
    );
    assert.ok(
      loaded.some((file) => /[\\/]source-map-support[\\/]/.test(file)),
      loaded.join("\n"),
    );
  });

  it("without a built lib/ (a fresh clone) the launcher still starts the host, with nothing deferred", async () => {
    const copy = join(scratch, "checkout", "bin", "dynamic-provider");
    cpSync(join(REPO, "bin"), dirname(copy), { recursive: true });
    chmodSync(join(copy, "pulumi-resource-pulumi-nodejs"), 0o755);
    const started = await start(join(copy, "pulumi-resource-pulumi-nodejs"), [], "fresh");
    assert.equal(await pluginVersion(started.port), SDK_VERSION);
    assert.ok((await stop(started)).length > 0);
  });

  it("the Windows launcher runs the same host with every argument", () => {
    assert.equal(readFileSync(join(PLUGIN_DIR, "pulumi-resource-pulumi-nodejs.cmd"), "utf8"), '@node "%~dp0host.cjs" %*\r\n');
  });

  it("this repository's Pulumi.yaml names the launcher's directory as the pulumi-nodejs plugin", () => {
    const yaml = readFileSync(join(REPO, "Pulumi.yaml"), "utf8");
    assert.match(yaml, /\nplugins:\n {2}providers:\n {4}- name: pulumi-nodejs\n {6}path: bin\/dynamic-provider\n/);
  });
});
