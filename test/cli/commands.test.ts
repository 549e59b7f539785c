// The release, preview, verify and doctor commands: help, argument errors and exit codes, run as a user
// would (node bin/slipway.js); doctor's checks with a fake machine; the progress fold.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { CommandRun, DoctorProbe, localRegistryAddress, runDoctor, runDoctorChecks } from "../../cli/doctor";
import { advance, initialProgress, statusLine, stepCount } from "../../cli/progress";
import { RecordedEvent } from "../../plan/previewMarkdown";
import { readFileSync } from "node:fs";
import { findOnPath } from "../../providers/childProcess";
import { toolchainEnv } from "../e2e/support/project";

const BIN = join(__dirname, "..", "..", "bin", "slipway.js");

/** Runs the CLI in a fresh directory; `project` makes it a Pulumi project (a Pulumi.yaml and an empty stacks/). */
function slipway(args: readonly string[], env: Record<string, string | undefined> = {}, project = false) {
  const cwd = mkdtempSync(join(tmpdir(), "slipway-cli-"));
  if (project) writeFileSync(join(cwd, "Pulumi.yaml"), "name: hello\nruntime: nodejs\nstackConfigDir: stacks\n");
  const result = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, CI: "true", ...env },
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("help", () => {
  it("lists every command", () => {
    const run = slipway(["--help"]);
    assert.equal(run.code, 0);
    for (const command of ["init", "toolchain", "plan", "release", "preview", "verify", "doctor"])
      assert.match(run.stdout, new RegExp(`^  ${command} `, "m"));
  });
  for (const command of ["release", "preview", "verify", "doctor"]) {
    it(`slipway ${command} --help`, () => {
      const run = slipway([command, "--help"]);
      assert.equal(run.code, 0);
      assert.equal(run.stderr, "");
      assert.match(run.stdout, new RegExp(`^Usage: slipway ${command} `));
      assert.match(run.stdout, /Exit codes: 0 /);
    });
  }
});

describe("bad input exits 2 with one line on stderr", () => {
  const CASES: { args: string[]; stderr: string; env?: Record<string, string> }[] = [
    { args: ["release"], stderr: "error: slipway release: the version is required, e.g. slipway release 1.4.0 --stack local\n" },
    { args: ["release", "1.4.0"], stderr: "error: slipway release: --stack is required, e.g. --stack local\n" },
    {
      args: ["release", "1.4", "--stack", "local"],
      stderr:
        'error: <version> = "1.4": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1\n',
    },
    {
      args: ["release", "1.4.0", "1.5.0", "--stack", "local"],
      stderr: 'error: slipway release: unexpected argument "1.5.0"; see slipway release --help\n',
    },
    {
      args: ["release", "1.4.0", "--stack", "local"],
      stderr: "error: slipway release: not on a terminal, so nothing can be confirmed; pass --yes to update, or --dry-run to preview\n",
    },
    {
      args: ["release", "1.4.0", "--stack", "a b", "--dry-run"],
      stderr: "error: --stack = \"a b\": not a stack name; fix: use letters, digits, '-', '_' or '.', e.g. --stack local\n",
    },
    {
      args: ["release", "1.4.0", "--stack", "local", "--yse"],
      stderr:
        "error: slipway release: Unknown option '--yse'. To specify a positional argument starting with a '-', place it at the end of the command after '--', as in '-- \"--yse\"; see slipway release --help\n",
    },
    { args: ["preview"], stderr: "error: slipway preview: --stack is required, e.g. --stack local\n" },
    {
      args: ["preview", "--stack", "local", "--markdown", "--json"],
      stderr: "error: slipway preview: --markdown and --json are exclusive; pick one\n",
    },
    {
      args: ["preview", "--stack", "local", "extra"],
      stderr: 'error: slipway preview: unexpected argument "extra"; see slipway preview --help\n',
    },
    {
      args: ["verify", "--stack", "local"],
      stderr: "error: slipway verify: the version is required, e.g. slipway verify 1.4.0 --stack local\n",
    },
    { args: ["verify", "1.4.0"], stderr: "error: slipway verify: --stack is required, e.g. --stack local\n" },
    {
      args: ["verify", "one", "--stack", "local"],
      stderr:
        'error: <version> = "one": not a semantic version; fix: use MAJOR.MINOR.PATCH with an optional -PRERELEASE and +BUILD, e.g. 1.4.0 or v1.5.0-rc.1\n',
    },
    { args: ["doctor", "now"], stderr: 'error: slipway doctor: unexpected argument "now"; see slipway doctor --help\n' },
    {
      args: ["deploy"],
      stderr: 'error: slipway: unknown command "deploy"; commands: init, toolchain, plan, release, preview, verify, doctor\n',
    },
  ];
  for (const c of CASES) {
    it(c.args.join(" "), () => {
      const run = slipway(c.args, c.env);
      assert.equal(run.stderr, c.stderr);
      assert.equal(run.code, 2);
      assert.equal(run.stdout, "");
    });
  }

  it("a stack that does not exist (real pulumi CLI, empty file backend)", (t) => {
    const env = toolchainEnv();
    if (findOnPath("pulumi", env.PATH) === undefined) {
      if (process.env.CI === "true") throw new Error("pulumi not on the toolchain PATH");
      t.skip("pulumi is not installed; run scripts/toolchain.sh install");
      return;
    }
    const state = mkdtempSync(join(tmpdir(), "slipway-state-"));
    const run = slipway(
      ["release", "1.4.0", "--stack", "nosuch", "--dry-run"],
      {
        ...env,
        PULUMI_BACKEND_URL: `file://${state}`,
        PULUMI_CONFIG_PASSPHRASE: "x",
        PULUMI_HOME: join(state, ".pulumi-home"),
      },
      true,
    );
    assert.match(
      run.stderr,
      /^error: --stack = "nosuch": no such stack in this project's backend; fix: write \/tmp\/slipway-cli-\w+\/stacks\/Pulumi\.nosuch\.yaml \(slipway init does\)\n$/,
    );
    assert.equal(run.code, 2);
  });
});

/** A machine described by tables: which binaries exist, what commands print, which files and URLs answer. */
function fakeMachine(
  over: Partial<{
    env: Record<string, string>;
    bins: string[];
    runs: Record<string, CommandRun>;
    files: Record<string, string>;
    http: Record<string, number | string>;
    athens: number | string;
  }> = {},
): DoctorProbe {
  const bins = over.bins ?? ["pulumi", "pulumi-resource-docker-build", "pulumi-resource-pulumi-nodejs", "buildctl", "proxy"];
  const runs: Record<string, CommandRun> = {
    "/t/bin/pulumi version": { code: 0, stdout: "v3.248.0\n", stderr: "" },
    "/t/bin/pulumi plugin ls --json": {
      code: 0,
      stdout: JSON.stringify([{ name: "docker-build", kind: "resource", version: "0.0.22", size: 82768034 }]),
      stderr: "",
    },
    "buildctl --addr unix:///run/slipway/buildkitd.sock debug workers": { code: 0, stdout: "ID\tPLATFORMS\nw1\tlinux/amd64\n", stderr: "" },
    "/t/bin/pulumi stack ls --all --json --non-interactive": { code: 0, stdout: '[{"name":"local"}]\n', stderr: "" },
    "unshare --net true": { code: 0, stdout: "", stderr: "" },
    ...over.runs,
  };
  const files: Record<string, string> = {
    "/home/u/.docker/buildx/instances/slipway": JSON.stringify({
      Name: "slipway",
      Nodes: [{ Endpoint: "unix:///run/slipway/buildkitd.sock" }],
    }),
    "/p/stacks/Pulumi.local.yaml": "config:\n  slipway:registries:\n    - kind: local\n      address: 127.0.0.1:5000\n",
    ...over.files,
  };
  const http: Record<string, number | string> = { "http://127.0.0.1:5000/v2/": 200, ...over.http };
  return {
    env: over.env ?? { HOME: "/home/u", PULUMI_BACKEND_URL: "file:///state", PULUMI_CONFIG_PASSPHRASE: "p" },
    which: (b) => (bins.includes(b) ? `/t/bin/${b}` : undefined),
    run: (command, args) =>
      runs[[command, ...args].join(" ")] ?? { code: 1, stdout: "", stderr: `unexpected: ${command} ${args.join(" ")}` },
    readFile: (path) => files[path],
    httpGet: (url) => Promise.resolve(http[url] ?? "ECONNREFUSED"),
    serve: (command, env, healthPath) =>
      Promise.resolve(
        command === "/t/bin/proxy" && env.ATHENS_PORT === ":{port}" && healthPath === "/healthz"
          ? (over.athens ?? 200)
          : "unexpected serve",
      ),
  };
}

describe("doctor", () => {
  it("passes on a ready machine", async () => {
    const checks = await runDoctorChecks(fakeMachine(), "/p");
    assert.deepEqual(
      checks.filter((c) => !c.ok),
      [],
    );
    assert.deepEqual(
      checks.map((c) => c.name),
      [
        "pulumi CLI",
        "docker-build plugin",
        "dynamic provider plugin",
        "buildx builder",
        "BuildKit",
        "registry",
        "Athens",
        "state backend",
        "compile isolation",
        "passphrase",
      ],
    );
    assert.equal(checks.find((c) => c.name === "state backend")?.detail, "file:///state is readable: 1 stack");
    assert.match(checks.find((c) => c.name === "compile isolation")?.detail ?? "", /^unshare --net works/);
  });

  describe("the dynamic provider plugin Pulumi.yaml names", () => {
    const NAMED = "name: hello\nplugins:\n  providers:\n    - name: pulumi-nodejs\n      path: node_modules/slipway/bin/dynamic-provider\n";
    const LAUNCHER = "/p/node_modules/slipway/bin/dynamic-provider/pulumi-resource-pulumi-nodejs";
    const pluginCheck = async (files: Record<string, string>) =>
      (await runDoctorChecks(fakeMachine({ bins: ["pulumi", "pulumi-resource-docker-build", "buildctl", "proxy"], files }), "/p")).find(
        (c) => c.name === "dynamic provider plugin",
      );

    it("is checked in the project, not on PATH", async () => {
      assert.deepEqual(await pluginCheck({ "/p/Pulumi.yaml": NAMED, [LAUNCHER]: "#!/bin/sh\n" }), {
        name: "dynamic provider plugin",
        ok: true,
        detail: `${LAUNCHER} (named in Pulumi.yaml)`,
        fix: "",
      });
    });

    it("fails, naming the file and the setting, when the launcher is missing", async () => {
      const found = await pluginCheck({ "/p/Pulumi.yaml": NAMED });
      assert.equal(found?.ok, false);
      assert.equal(found?.detail, `${LAUNCHER} is missing (Pulumi.yaml names node_modules/slipway/bin/dynamic-provider for pulumi-nodejs)`);
      assert.equal(
        found?.fix,
        "run npm install (slipway ships the launcher in bin/dynamic-provider), or correct plugins.providers in Pulumi.yaml",
      );
    });

    it("falls back to PATH for a Pulumi.yaml that names another plugin, none, or cannot be read", async () => {
      for (const yaml of [NAMED.replace("pulumi-nodejs", "aws"), "name: hello\n", "plugins: [", undefined]) {
        const found = await pluginCheck(yaml === undefined ? {} : { "/p/Pulumi.yaml": yaml });
        assert.equal(found?.ok, false, String(yaml));
        assert.equal(found?.detail, "pulumi-resource-pulumi-nodejs is not on PATH", String(yaml));
      }
    });
  });

  it("reports a compile step without a network namespace, without failing", async () => {
    const machine = fakeMachine({
      runs: { "unshare --net true": { code: 1, stdout: "", stderr: "unshare: unshare failed: Operation not permitted\n" } },
    });
    const checks = await runDoctorChecks(machine, "/p");
    assert.deepEqual(
      checks.filter((c) => !c.ok),
      [],
    );
    assert.equal(
      checks.find((c) => c.name === "compile isolation")?.detail,
      "unshare --net is unavailable (unshare: unshare failed: Operation not permitted): the compile step gets GOPROXY=off and -mod=readonly only",
    );
  });

  const CASES: { title: string; machine: DoctorProbe; failing: string | string[]; fix: RegExp }[] = [
    {
      title: "no pulumi",
      machine: fakeMachine({ bins: ["pulumi-resource-docker-build", "pulumi-resource-pulumi-nodejs", "buildctl", "proxy"] }),
      // Without pulumi neither the plugin cache nor the state can be read.
      failing: ["pulumi CLI", "docker-build plugin", "state backend"],
      fix: /scripts\/toolchain\.sh install/,
    },
    {
      title: "the wrong pulumi",
      machine: fakeMachine({ runs: { "/t/bin/pulumi version": { code: 0, stdout: "v3.250.0\n", stderr: "" } } }),
      failing: "pulumi CLI",
      fix: /needs pulumi v3\.248\.0/,
    },
    {
      title: "the wrong docker-build",
      machine: fakeMachine({
        runs: {
          "/t/bin/pulumi plugin ls --json": {
            code: 0,
            stdout: JSON.stringify([{ name: "docker-build", kind: "resource", version: "0.0.9" }]),
            stderr: "",
          },
        },
      }),
      failing: "docker-build plugin",
      fix: /requests v0\.0\.22/,
    },
    {
      title: "docker-build only on PATH, not in the plugin cache the engine reads",
      machine: fakeMachine({
        runs: {
          "/t/bin/pulumi plugin ls --json": {
            code: 0,
            stdout: JSON.stringify([{ name: "aws", kind: "resource", version: "0.0.22" }]),
            stderr: "",
          },
        },
      }),
      failing: "docker-build plugin",
      fix: /scripts\/toolchain\.sh install/,
    },
    {
      title: "no nodejs plugin",
      machine: fakeMachine({ bins: ["pulumi", "pulumi-resource-docker-build", "buildctl", "proxy"] }),
      failing: "dynamic provider plugin",
      fix: /toolchain/,
    },
    {
      title: "no builder",
      machine: fakeMachine({
        files: { "/home/u/.docker/buildx/instances/slipway": "" },
        env: {
          HOME: "/home/u",
          PULUMI_BACKEND_URL: "file:///s",
          PULUMI_CONFIG_PASSPHRASE: "p",
          BUILDKIT_HOST: "unix:///run/slipway/buildkitd.sock",
        },
      }),
      failing: "buildx builder",
      fix: /docker buildx create --name slipway/,
    },
    {
      title: "BuildKit down",
      machine: fakeMachine({
        runs: {
          "buildctl --addr unix:///run/slipway/buildkitd.sock debug workers": { code: 1, stdout: "", stderr: "connection refused\n" },
        },
      }),
      failing: "BuildKit",
      fix: /start buildkitd/,
    },
    {
      title: "registry down",
      machine: fakeMachine({ http: { "http://127.0.0.1:5000/v2/": "connect ECONNREFUSED 127.0.0.1:5000" } }),
      failing: "registry",
      fix: /start the registry/,
    },
    {
      title: "no Athens",
      machine: fakeMachine({ bins: ["pulumi", "pulumi-resource-docker-build", "pulumi-resource-pulumi-nodejs", "buildctl"] }),
      failing: "Athens",
      fix: /toolchain/,
    },
    {
      title: "Athens that does not answer",
      machine: fakeMachine({ athens: "no answer within 15s (connect ECONNREFUSED)" }),
      failing: "Athens",
      fix: /ATHENS_PORT/,
    },
    {
      title: "no backend",
      machine: fakeMachine({
        env: { HOME: "/home/u", PULUMI_CONFIG_PASSPHRASE: "p" },
        runs: {
          "/t/bin/pulumi stack ls --all --json --non-interactive": {
            code: 255,
            stdout: "",
            stderr: "error: PULUMI_ACCESS_TOKEN must be set\n",
          },
        },
      }),
      failing: "state backend",
      fix: /pulumi login file:/,
    },
    {
      title: "a backend whose state cannot be read",
      machine: fakeMachine({
        runs: {
          "/t/bin/pulumi stack ls --all --json --non-interactive": {
            code: 255,
            stdout: "",
            stderr: "error: could not list stacks: open /state/.pulumi/stacks: permission denied\n",
          },
        },
      }),
      failing: "state backend",
      fix: /can read and write/,
    },
    {
      title: "no passphrase",
      machine: fakeMachine({ env: { HOME: "/home/u", PULUMI_BACKEND_URL: "file:///s" } }),
      failing: "passphrase",
      fix: /PULUMI_CONFIG_PASSPHRASE_FILE/,
    },
    {
      title: "an unreadable passphrase file",
      machine: fakeMachine({ env: { HOME: "/home/u", PULUMI_BACKEND_URL: "file:///s", PULUMI_CONFIG_PASSPHRASE_FILE: "/nope" } }),
      failing: "passphrase",
      fix: /PULUMI_CONFIG_PASSPHRASE_FILE/,
    },
  ];
  for (const c of CASES) {
    it(`fails on ${c.title}, with the fix`, async () => {
      const failed = (await runDoctorChecks(c.machine, "/p")).filter((x) => !x.ok);
      assert.deepEqual(
        failed.map((x) => x.name),
        typeof c.failing === "string" ? [c.failing] : c.failing,
      );
      assert.match(failed[0]?.fix ?? "", c.fix);
    });
  }

  it("exits 1 and prints JSON with --json when something fails", async () => {
    let out = "";
    const code = await runDoctor(
      ["--json"],
      { cwd: join(__dirname, "..", ".."), stdout: (t) => (out += t), stderr: () => undefined },
      fakeMachine({ http: {} }),
    );
    assert.equal(code, 1);
    const report = JSON.parse(out) as { ok: boolean; checks: { name: string; ok: boolean; fix: string }[] };
    assert.equal(report.ok, false);
    assert.deepEqual(
      report.checks.filter((c) => !c.ok).map((c) => c.name),
      ["registry"],
    );
  });

  it("reads the local stack's registry address", () => {
    assert.equal(localRegistryAddress(readFileSync(join(__dirname, "..", "..", "stacks", "Pulumi.local.yaml"), "utf8")), "127.0.0.1:5000");
    assert.equal(localRegistryAddress("config:\n  slipway:name: x\n"), undefined);
  });
});

describe("progress", () => {
  const events = JSON.parse(readFileSync(join(__dirname, "..", "golden", "events-up-1.4.0.json"), "utf8")) as RecordedEvent[];

  it("counts every resource of the recorded update and names each finished change", () => {
    let state = initialProgress(stepCount(events));
    const lines: string[] = [];
    for (const event of events) {
      const next = advance(state, event);
      state = next.state;
      if (next.finished !== undefined) lines.push(next.finished);
    }
    const steps = new Set(events.flatMap((e) => (e.resourcePreEvent === undefined ? [] : [e.resourcePreEvent.metadata.urn])));
    assert.equal(steps.size, 46, "the recorded update's resources, each once");
    assert.equal(state.total, steps.size);
    assert.equal(state.done, steps.size);
    assert.equal(state.inFlight.size, 0);
    assert.ok(lines.includes("created slipway:GoBuild hello-binaries-build"));
    assert.equal(lines.filter((l) => l.startsWith("created slipway:RegistryTag")).length, 5);
  });

  it("shows the step in flight, the count and the elapsed time on one line", () => {
    let state = initialProgress(26);
    for (const event of events.slice(0, events.findIndex((e) => e.resourcePreEvent?.metadata.type.endsWith("GoBuild") === true) + 1))
      state = advance(state, event).state;
    assert.match(statusLine(state, 95), /^\[\d+\/26\] 1m 35s {2}create hello-binaries-build/);
    assert.ok(statusLine(state, 95, 20).length <= 20);
    assert.match(statusLine(initialProgress(undefined), 0), /^\[0\/\?\] 0s {2}waiting for the engine$/);
  });
});
