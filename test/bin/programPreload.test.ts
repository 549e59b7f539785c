// bin/program-preload.cjs: what Pulumi.yaml's nodeargs has node load before the engine's run harness
// (@pulumi/pulumi/cmd/run). Each case runs the harness as the language host does (node in the program's
// directory, the harness as the main script, a monitor address and the program), against a monitor that
// refuses connections: the harness loads everything it loads for a real run, then exits 32 on the refused
// connection. A --require probe records which files of source-map-support and OpenTelemetry were evaluated.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import YAML from "yaml";
import { PROGRAM_MAIN, PROGRAM_NODEARGS } from "../../plan/init";
import * as build from "../../scripts/build.cjs";

const REPO = join(__dirname, "..", "..");
const HARNESS = require.resolve("@pulumi/pulumi/cmd/run");
const scratch = mkdtempSync(join(tmpdir(), "slipway-program-preload-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

const PROBE = `const Module = require("node:module");
const { appendFileSync } = require("node:fs");
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  if (/[\\\\/](source-map-support|@opentelemetry[\\\\/][^\\\\/]+)[\\\\/]/.test(filename)) appendFileSync(process.env.PROBE_RECORD, filename + "\\n");
  return compile.call(this, content, filename);
};
`;
const probe = join(scratch, "probe.cjs");
writeFileSync(probe, PROBE);
const program = join(scratch, "program.js");
writeFileSync(program, "module.exports = async () => {};\n");

/** The packages (source-map-support, @opentelemetry/<name>) with a file evaluated in a process, sorted. */
function packagesOf(record: string): string[] {
  const files = readFileSync(record, "utf8").split("\n").filter(Boolean);
  return [
    ...new Set(
      files.map((file) => /[\\/](source-map-support|@opentelemetry[\\/][^\\/]+)[\\/]/.exec(file)?.[1]?.replace("\\", "/") ?? file),
    ),
  ].sort();
}

interface Run {
  readonly status: number | null;
  readonly stderr: string;
  readonly packages: string[];
}

/** Runs `node <nodeArgs> <script> <args>` in `cwd` with the probe, as the language host starts the harness. */
function runNode(name: string, cwd: string, nodeArgs: readonly string[], script: string, args: readonly string[]): Run {
  const record = join(scratch, `${name}.loaded`);
  writeFileSync(record, "");
  const run = spawnSync(process.execPath, [...nodeArgs, script, ...args], {
    cwd,
    env: { ...process.env, NODE_OPTIONS: `--require ${probe}`, PROBE_RECORD: record },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr, packages: packagesOf(record) };
}

const HARNESS_ARGS = ["--monitor", "127.0.0.1:1", "--engine", "127.0.0.1:1", "--project", "p", "--stack", "s", "--pwd", scratch, program];
const runHarness = (name: string, cwd: string, nodeArgs: readonly string[]) => runNode(name, cwd, nodeArgs, HARNESS, HARNESS_ARGS);

/** Everything of OpenTelemetry the harness's tracing loads when nothing is deferred. */
const TRACING_PACKAGES = [
  "@opentelemetry/exporter-zipkin",
  "@opentelemetry/instrumentation",
  "@opentelemetry/instrumentation-grpc",
  "@opentelemetry/resources",
  "@opentelemetry/sdk-trace-base",
  "@opentelemetry/sdk-trace-node",
];

describe("bin/program-preload.cjs", () => {
  // The preload loads the deferral from lib/, which a fresh clone has only once something has built it.
  before(() => build.buildIfStale(REPO));

  it("this repository's Pulumi.yaml has node load it, relative to the program's directory, where the engine runs node", () => {
    const project = YAML.parse(readFileSync(join(REPO, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { options: { nodeargs: string } };
    };
    const [flag, path] = project.runtime.options.nodeargs.split(" ");
    assert.equal(flag, "--require");
    assert.equal(resolve(REPO, dirname(project.main), path ?? ""), join(REPO, "bin", "program-preload.cjs"));
  });

  it("`slipway init`'s Pulumi.yaml names it in the installed package, relative to the installed program's directory", () => {
    const [flag, path] = PROGRAM_NODEARGS.split(" ");
    assert.equal(flag, "--require");
    assert.equal(resolve("/repo", dirname(PROGRAM_MAIN), path ?? ""), resolve("/repo/node_modules/slipway/bin/program-preload.cjs"));
    const files = (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { files: string[] }).files;
    assert.ok(files.includes("bin/") && files.includes("lib/"), "the package ships bin/ and lib/");
  });

  it("the harness runs without source-map-support and without the OpenTelemetry its tracing would load", () => {
    const project = YAML.parse(readFileSync(join(REPO, "Pulumi.yaml"), "utf8")) as {
      main: string;
      runtime: { options: { nodeargs: string } };
    };
    const run = runHarness("preloaded", join(REPO, dirname(project.main)), project.runtime.options.nodeargs.split(" "));
    assert.equal(run.status, 32, run.stderr);
    assert.match(run.stderr, /ECONNREFUSED 127\.0\.0\.1:1/, "it got as far as the monitor");
    assert.deepEqual(run.packages, ["@opentelemetry/api"]);
  });

  it("the probe sees both evaluated when the harness runs without it (what the preload saves)", () => {
    const run = runHarness("plain", join(REPO, "scripts"), []);
    assert.equal(run.status, 32, run.stderr);
    assert.ok(run.packages.includes("source-map-support"), run.packages.join(" "));
    for (const name of TRACING_PACKAGES) assert.ok(run.packages.includes(name), `${name} in ${run.packages.join(" ")}`);
  });

  it("`--tracing` still gets the real packages: the tracing loads them when it starts", () => {
    const script = join(scratch, "tracing.js");
    writeFileSync(
      script,
      `const tracing = require(require.resolve("@pulumi/pulumi/cmd/run/tracing.js", { paths: [process.cwd()] }));
const { readFileSync } = require("node:fs");
const before = readFileSync(process.env.PROBE_RECORD, "utf8");
tracing.start("http://127.0.0.1:1/api/v2/spans");
tracing.newSpan("a span").end();
tracing.stop();
console.error(before.includes("sdk-trace-node") ? "loaded before start" : "deferred until start");
`,
    );
    const run = runNode("tracing", join(REPO, "scripts"), ["--require", join(REPO, "bin", "program-preload.cjs")], script, []);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stderr.trim(), "deferred until start");
    for (const name of TRACING_PACKAGES) assert.ok(run.packages.includes(name), `${name} in ${run.packages.join(" ")}`);
  });

  it("without a built lib/ (a fresh clone) it still keeps source-map-support out, deferring nothing", () => {
    const copy = join(scratch, "checkout", "bin");
    cpSync(join(REPO, "bin"), copy, { recursive: true });
    const run = runHarness("fresh", join(REPO, "scripts"), ["--require", join(copy, "program-preload.cjs")]);
    assert.equal(run.status, 32, run.stderr);
    assert.ok(!run.packages.includes("source-map-support"), run.packages.join(" "));
    for (const name of TRACING_PACKAGES) assert.ok(run.packages.includes(name), `${name} in ${run.packages.join(" ")}`);
  });
});
