// A BuildKit daemon of the test's own (binaries from the toolchain cache): its own socket, state directory
// and buildx builder entry, so a fault test can stop and restart it without touching the toolchain's daemon
// that other checkouts and tests share.
import { ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, openSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { TOOLCHAIN_DIR } from "../../support/toolchain";
import { scratchDir } from "./scratch";

export const BUILDKITD_BINARY = join(TOOLCHAIN_DIR, "bin", "buildkitd");
const BUILDCTL_BINARY = join(TOOLCHAIN_DIR, "bin", "buildctl");
/** The builder name the local stack's slipway:builder names. */
const BUILDER = "slipway";

export interface TestBuildkit {
  /** Holds the socket, the state, the log and the docker config; a restart on the same directory keeps the state. */
  readonly dir: string;
  readonly address: string;
  readonly process: ChildProcess;
  /** What the engine needs to use this daemon: DOCKER_CONFIG (its buildx builder entry) and BUILDKIT_HOST. */
  readonly env: Record<string, string>;
  stop(): Promise<void>;
}

function writeConfig(dir: string, address: string): string {
  const config = join(dir, "buildkitd.toml");
  writeFileSync(
    config,
    [
      `root = "${join(dir, "state")}"`,
      'insecure-entitlements = ["network.host"]',
      "[grpc]",
      `  address = ["${address}"]`,
      "[worker.oci]",
      "  enabled = true",
      "  gc = true",
      "[worker.containerd]",
      "  enabled = false",
      "",
    ].join("\n"),
  );
  // The docker-build provider finds the builder named by slipway:builder in DOCKER_CONFIG/buildx.
  const buildx = join(dir, "docker", "buildx");
  mkdirSync(join(buildx, "instances"), { recursive: true });
  writeFileSync(
    join(buildx, "instances", BUILDER),
    JSON.stringify({
      Name: BUILDER,
      Driver: "remote",
      Nodes: [{ Name: `${BUILDER}0`, Endpoint: address, Platforms: null, DriverOpts: null, Flags: null, Files: null }],
      Dynamic: false,
    }),
  );
  writeFileSync(join(buildx, "current"), JSON.stringify({ Key: "", Name: BUILDER, Global: true }));
  return config;
}

async function waitUntilAnswering(address: string, child: ChildProcess, log: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`buildkitd exited (${child.exitCode ?? child.signalCode}); see ${log}`);
    if (spawnSync(BUILDCTL_BINARY, ["--addr", address, "debug", "workers"], { stdio: "ignore", timeout: 10_000 }).status === 0) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`buildkitd at ${address} did not answer within 60 s; see ${log}`);
}

/** Starts a BuildKit daemon; given a stopped one, starts it again with the same socket and state. */
export async function startBuildkit(previous?: TestBuildkit): Promise<TestBuildkit> {
  const dir = previous?.dir ?? scratchDir("slipway-buildkit-");
  const address = `unix://${join(dir, "buildkitd.sock")}`;
  const config = writeConfig(dir, address);
  const log = join(dir, "buildkitd.log");
  const output = openSync(log, "a");
  const child = spawn(BUILDKITD_BINARY, ["--config", config, "--allow-insecure-entitlement", "network.host"], {
    stdio: ["ignore", output, output],
  });
  await waitUntilAnswering(address, child, log);
  return {
    dir,
    address,
    process: child,
    env: { DOCKER_CONFIG: join(dir, "docker"), BUILDKIT_HOST: address },
    stop: () => stopBuildkit(child),
  };
}

function stopBuildkit(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** How many build cache records the daemon holds: more than none once it has built something. */
export function cacheRecords(buildkit: TestBuildkit): number {
  const usage = spawnSync(BUILDCTL_BINARY, ["--addr", buildkit.address, "du"], { encoding: "utf8", timeout: 30_000 });
  if (usage.status !== 0) throw new Error(`buildctl du: ${usage.stderr}`);
  return usage.stdout.split("\n").filter((line) => /^[a-z0-9]{20,}/.test(line)).length;
}
