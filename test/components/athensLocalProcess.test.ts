// AthensLocalProcess under Pulumi mocks: the one dynamic resource it declares, with the planned Athens
// environment and checked settings; refused settings declare nothing. What mocks cannot prove: the
// provider's behaviour (test/providers/localAthens.test.ts runs it for real) and the alias to the
// resource's former parent.
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { AthensLocalProcess } from "../../components/athensLocalProcess";
import { SlipwayInputError } from "../../plan/errors";
import { T, mockOutputs } from "../support/athensMocks";
import { Registration, named, recordRegistrations, settle, valueOf } from "../support/mocks";

describe("AthensLocalProcess", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("runs a loopback Athens process on disk with the planned environment", async () => {
    const athens = new AthensLocalProcess("l", {
      kind: "local",
      source: "process",
      port: 3111,
      storageDir: "/srv/athens/storage",
      stateDir: "/srv/athens/run",
      mode: "sealed",
    });
    assert.equal(await valueOf(athens.goproxy), "http://127.0.0.1:3111");
    await settle();
    assert.deepEqual(
      registrations
        .filter((r) => r.name.startsWith("l"))
        .map((r) => `${r.type} ${r.name}`)
        .sort(),
      [`${T.localProcess} l`, `${T.dynamic} l-process`].sort(),
    );
    const inputs = named(registrations, "l-process").inputs;
    assert.deepEqual(
      [
        inputs.source,
        inputs.binary,
        inputs.host,
        inputs.port,
        inputs.storageRoot,
        inputs.stateDir,
        inputs.downloadMode,
        inputs.networkMode,
        inputs.startTimeoutMs,
      ],
      ["process", "proxy", "127.0.0.1", 3111, "/srv/athens/storage", "/srv/athens/run", "none", "offline", 60_000],
    );
    assert.deepEqual(inputs.env, {
      ATHENS_DISK_STORAGE_ROOT: "/srv/athens/storage",
      ATHENS_DOWNLOAD_MODE: "none",
      ATHENS_GO_BINARY_ENV_VARS: "GOPROXY=https://proxy.golang.org;GOTOOLCHAIN=local",
      ATHENS_LOG_FORMAT: "plain",
      ATHENS_LOG_LEVEL: "info",
      ATHENS_NETWORK_MODE: "offline",
      ATHENS_PORT: "127.0.0.1:3111",
      ATHENS_SINGLE_FLIGHT_TYPE: "memory",
      ATHENS_STORAGE_TYPE: "disk",
    });
    assert.equal(await valueOf(athens.url), "http://127.0.0.1:3111");
    assert.equal(await pulumi.isSecret(athens.goproxy), false);
    assert.equal(await valueOf(athens.adopted), false);
  });

  it("resolves relative directories against the working directory and applies the defaults", async () => {
    new AthensLocalProcess("d", { kind: "local", source: "process", storageDir: "athens-store" });
    await settle();
    const inputs = named(registrations, "d-process").inputs;
    assert.deepEqual(
      [inputs.port, inputs.storageRoot, inputs.stateDir, inputs.downloadMode, inputs.networkMode],
      [3000, `${process.cwd()}/athens-store`, `${process.cwd()}/.slipway/athens/run`, "sync", "strict"],
    );
  });

  const REFUSED: readonly [string, () => unknown, RegExp][] = [
    [
      "a listen host other than loopback",
      () => new AthensLocalProcess("r1", { kind: "local", source: "process", host: "0.0.0.0" }),
      /^slipway:athens\.local\.host = "0\.0\.0\.0": a local Athens listens on loopback only; fix: use 127\.0\.0\.1$/,
    ],
    [
      "a relative binary path",
      () => new AthensLocalProcess("r2", { kind: "local", source: "process", binary: "bin/proxy" }),
      /^slipway:athens\.local\.binary = "bin\/proxy": must be a command name on PATH or an absolute path;/,
    ],
  ];
  REFUSED.forEach(([title, run, message], index) => {
    it(`[${index}] refuses ${title} before declaring anything`, async () => {
      await settle();
      const before = registrations.length;
      assert.throws(run, (error: unknown) => error instanceof SlipwayInputError && message.test(error.message));
      await settle();
      assert.equal(registrations.length, before);
    });
  });
});
