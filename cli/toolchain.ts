import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { EXIT, UsageError } from "./usage";
import { TOOLCHAIN_SCRIPT } from "../engine/environment";

export const TOOLCHAIN_HELP = `Usage: slipway toolchain <install|start|stop|status|env>

Builds (cached) and starts what releases need on this machine, from the Go module proxy and Debian's
packages only: the pulumi CLI and Node.js language host, the docker-build provider, BuildKit (buildkitd on
a unix socket), Athens, and a registry on 127.0.0.1:5000. The first install takes about 10 minutes on
2 cores; later ones are cached in ~/.cache/slipway-toolchain.

  install   build or install the tools
  start     install, start the registry and BuildKit, and create this project's .slipway/ state and passphrase
  stop      stop the services
  status    list the tools and the services' health
  env       print the exports the engine needs (slipway release sets them itself)
`;

const SUBCOMMANDS = ["install", "start", "stop", "status", "env"] as const;

/** Runs the packaged scripts/toolchain.sh for the project in `cwd`, its output passed through. */
export function runToolchain(argv: readonly string[], io: { readonly cwd: string; readonly stdout: (text: string) => void }): number {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === "--help" || sub === "-h") {
    io.stdout(TOOLCHAIN_HELP);
    return sub === undefined ? EXIT.badInput : EXIT.ok;
  }
  if (!(SUBCOMMANDS as readonly string[]).includes(sub) || rest.length > 0) {
    throw new UsageError(`slipway toolchain: unknown arguments ${JSON.stringify(argv.join(" "))}; use one of ${SUBCOMMANDS.join(", ")}`);
  }
  const project = resolve(io.cwd);
  const args = sub === "stop" || sub === "status" ? [sub] : [sub, project];
  if (sub !== "stop" && sub !== "status" && !existsSync(join(project, "node_modules", "@pulumi", "pulumi"))) {
    throw new UsageError(`slipway toolchain ${sub}: ${project} has no node_modules/@pulumi/pulumi; run npm install in the project first`);
  }
  const result = spawnSync("bash", [TOOLCHAIN_SCRIPT, ...args], { stdio: ["ignore", "inherit", "inherit"] });
  return result.status ?? EXIT.failed;
}
