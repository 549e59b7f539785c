// The local Athens dynamic provider, called directly (closure serialisation is the engine's business).
// Endpoint checks, adoption and diff rules run against small loopback HTTP servers; the process kind
// runs the real Athens binary (SLIPWAY_ATHENS_BIN or the toolchain's `proxy`): skipped on a developer
// machine without it, a failure in CI. What this cannot prove: behaviour under the real engine
// (serialised provider, secrets), and module downloads from a real upstream (no network here).
import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { athensServerEnv, downloadModeValue, networkModeOf } from "../../plan/athensRender";
import { processIdentity } from "../../providers/athensProbes";
import {
  LocalAthensEndpointOutputs,
  LocalAthensProcessInputs,
  LocalAthensProcessOutputs,
  LocalAthensOutputs,
  checkEndpoint,
  diffLocalAthens,
  isRunning,
  localAthensProvider,
  startLocalAthens,
} from "../../providers/localAthens";
import { ATHENS_BINARY } from "../support/athens";
import { close, fakeAthens, serve } from "../support/fakeAthens";
import { freePort, requireTool } from "../support/registry";

function processInputs(port: number, dir: string, overrides: Partial<LocalAthensProcessInputs> = {}): LocalAthensProcessInputs {
  const mode = overrides.downloadMode === "sync" ? "warm" : "sealed";
  const storageRoot = join(dir, "storage");
  return {
    source: "process",
    binary: ATHENS_BINARY,
    host: "127.0.0.1",
    port,
    storageRoot,
    stateDir: join(dir, "run"),
    downloadMode: downloadModeValue({ mode }),
    networkMode: networkModeOf(mode),
    env: athensServerEnv({
      mode,
      upstream: "http://127.0.0.1:9",
      listen: `127.0.0.1:${port}`,
      storage: { type: "disk", root: storageRoot },
    }),
    startTimeoutMs: 60_000,
    ...overrides,
  };
}

async function waitGone(pid: number): Promise<void> {
  for (let i = 0; i < 100 && processIdentity(pid) !== undefined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  assert.equal(processIdentity(pid), undefined, `pid ${pid} still running`);
}

describe("local Athens endpoint check", () => {
  it("passes a healthy endpoint and sends credentials as basic auth, not in the URL", async () => {
    const { url, server, hits } = await serve(fakeAthens);
    try {
      const withCredentials = url.replace("http://", "http://ci:p%40ss@");
      const outs = await checkEndpoint({ source: "endpoint", url: withCredentials });
      assert.deepEqual(outs, { source: "endpoint", url: withCredentials, healthy: true });
      assert.deepEqual(hits, [`GET /healthz Basic ${Buffer.from("ci:p@ss").toString("base64")}`]);
    } finally {
      await close(server);
    }
  });

  it("fails with one line naming the URL, credentials redacted", async () => {
    const port = await freePort();
    await assert.rejects(checkEndpoint({ source: "endpoint", url: `http://ci:s3cret@127.0.0.1:${port}` }), (error: Error) => {
      assert.equal(
        error.message,
        `Athens endpoint http://***@127.0.0.1:${port} is unreachable (ECONNREFUSED); start it or fix athens.local.url`,
      );
      return true;
    });
  });

  it("asks for an update (a new check), never a replacement, when the endpoint is down or moved", async () => {
    const { url, server } = await serve(fakeAthens);
    const olds: LocalAthensEndpointOutputs = { source: "endpoint", url, healthy: true };
    try {
      assert.deepEqual(await diffLocalAthens(olds, { source: "endpoint", url }), {
        changes: false,
        replaces: [],
        deleteBeforeReplace: true,
      });
      assert.deepEqual(await diffLocalAthens(olds, { source: "endpoint", url: `${url}/` }), {
        changes: true,
        replaces: [],
        deleteBeforeReplace: true,
      });
    } finally {
      await close(server);
    }
    assert.deepEqual(await diffLocalAthens(olds, { source: "endpoint", url }), { changes: true, replaces: [], deleteBeforeReplace: true });
    const read = await localAthensProvider.read!(url, olds);
    assert.equal((read.props as LocalAthensEndpointOutputs).healthy, false);
  });

  it("creates a checked endpoint whose id carries no credentials, and reads it as healthy while it answers", async () => {
    const { url, server } = await serve(fakeAthens);
    try {
      const withCredentials = url.replace("http://", "http://ci:s3cret@");
      assert.deepEqual(await localAthensProvider.create({ source: "endpoint", url: withCredentials }), {
        id: url.replace("http://", "http://***@"),
        outs: { source: "endpoint", url: withCredentials, healthy: true },
      });
      const olds: LocalAthensEndpointOutputs = { source: "endpoint", url, healthy: false };
      assert.deepEqual(await localAthensProvider.read!(url, olds), { id: url, props: { ...olds, healthy: true } });
      await localAthensProvider.delete!(url, olds);
    } finally {
      await close(server);
    }
  });
});

describe("local Athens process: adoption and rules", () => {
  it("adopts an Athens that already serves the address instead of failing", async () => {
    const { url, server } = await serve(fakeAthens);
    const dir = mkdtempSync(join(tmpdir(), "slipway-athens-adopt-"));
    try {
      const port = Number(new URL(url).port);
      const outs = await startLocalAthens(processInputs(port, dir, { binary: process.execPath }));
      assert.equal(outs.adopted, true);
      assert.equal(outs.managed, false);
      assert.equal(outs.pid, null);
      assert.equal(outs.url, url);
      assert.equal(existsSync(join(dir, "run")), false, "nothing is provisioned for an adopted server");
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses a port held by something that is not Athens", async () => {
    const { url, server } = await serve((request, response) => {
      response.statusCode = request.url === "/healthz" ? 200 : 404;
      response.end("");
    });
    try {
      const port = Number(new URL(url).port);
      await assert.rejects(
        startLocalAthens(processInputs(port, tmpdir(), { binary: process.execPath })),
        new RegExp(
          `^Error: 127\\.0\\.0\\.1:${port} is served by something that is not Athens \\(GET /version\\); free the port or set athens\\.local\\.port$`,
        ),
      );
    } finally {
      await close(server);
    }
  });

  it("replaces (stop first) on a new port, storage or mode, updates on other changes", async () => {
    const port = await freePort();
    const olds = { ...processInputs(port, "/tmp/x"), url: `http://127.0.0.1:${port}` } as unknown as LocalAthensProcessOutputs;
    const cases: readonly [Partial<LocalAthensProcessInputs>, string[], boolean][] = [
      [{ port: port + 1 }, ["port"], true],
      [{ storageRoot: "/tmp/y" }, ["storageRoot"], true],
      [{ downloadMode: "sync", networkMode: "strict" }, ["downloadMode", "networkMode"], true],
      [{ env: { ...olds.env, ATHENS_LOG_LEVEL: "debug" } }, [], true],
      [{ binary: "/usr/local/bin/athens" }, [], true],
    ];
    for (const [change, replaces, changes] of cases) {
      const diff = await diffLocalAthens(olds, { ...processInputs(port, "/tmp/x"), ...change });
      assert.deepEqual(diff, { changes, replaces, deleteBeforeReplace: true }, JSON.stringify(change));
    }
  });

  it("replaces on a switch between process and endpoint, and probes nothing when the inputs changed", async () => {
    const { url, server, hits } = await serve(fakeAthens);
    try {
      const port = Number(new URL(url).port);
      const inputs = processInputs(port, "/tmp/x");
      const processOlds = { ...inputs, url, managed: false, pid: null } as unknown as LocalAthensProcessOutputs;
      const endpointOlds: LocalAthensEndpointOutputs = { source: "endpoint", url, healthy: true };
      const everything = ["source", "host", "port", "storageRoot", "stateDir", "downloadMode", "networkMode"];
      const cases: readonly [string, LocalAthensOutputs, Parameters<typeof diffLocalAthens>[1], string[]][] = [
        ["process to endpoint", processOlds, { source: "endpoint", url }, everything],
        ["endpoint to process", endpointOlds, inputs, everything],
        ["a new port", processOlds, { ...inputs, port: port + 1 }, ["port"]],
        ["a new start timeout", processOlds, { ...inputs, startTimeoutMs: 1 }, []],
      ];
      for (const [what, olds, news, replaces] of cases) {
        assert.deepEqual(await diffLocalAthens(olds, news), { changes: true, replaces, deleteBeforeReplace: true }, what);
      }
      assert.deepEqual(hits, []);
    } finally {
      await close(server);
    }
  });

  it("is running while it answers and, when it owns the process, while that process is the one it started", async () => {
    const { url, server } = await serve(fakeAthens);
    const down = `http://127.0.0.1:${await freePort()}`;
    const inputs = processInputs(Number(new URL(url).port), "/tmp/x");
    const me = processIdentity(process.pid);
    assert.ok(me !== undefined);
    // [what, outputs, running]: the test process stands for a live Athens (nothing here signals it).
    const cases: readonly [string, Partial<LocalAthensProcessOutputs>, boolean][] = [
      ["adopted from elsewhere", { managed: false, pid: null, identity: null }, true],
      ["adopted, pid of another start", { managed: false, pid: process.pid, identity: "another start time" }, true],
      ["managed, no pid", { managed: true, pid: null, identity: "another start time" }, true],
      ["managed, still its process", { managed: true, pid: process.pid, identity: me }, true],
      ["managed, pid recycled", { managed: true, pid: process.pid, identity: "another start time" }, false],
      ["not answering", { url: down, managed: false, pid: null, identity: null }, false],
      ["managed, not answering", { url: down, managed: true, pid: process.pid, identity: me }, false],
    ];
    try {
      for (const [what, fields, running] of cases) {
        const outs = { ...inputs, url, binaryPath: "", pidFile: "", logFile: "", adopted: true, healthy: true, ...fields };
        assert.equal(await isRunning(outs as LocalAthensProcessOutputs), running, `${what}: isRunning`);
        const read = await localAthensProvider.read!(outs.url, outs);
        assert.deepEqual(read, { id: outs.url, props: { ...outs, healthy: running } }, `${what}: read`);
        const diff = await diffLocalAthens(outs as LocalAthensProcessOutputs, inputs);
        assert.deepEqual(diff, { changes: !running, replaces: [], deleteBeforeReplace: true }, `${what}: diff`);
      }
    } finally {
      await close(server);
    }
  });

  it("creates an adopted process resource: its id is the URL, its outputs say healthy and unmanaged", async () => {
    const { url, server } = await serve(fakeAthens);
    const dir = mkdtempSync(join(tmpdir(), "slipway-athens-create-"));
    try {
      const inputs = processInputs(Number(new URL(url).port), dir, { binary: process.execPath });
      const created = await localAthensProvider.create(inputs);
      assert.deepEqual(created, {
        id: url,
        outs: {
          ...inputs,
          url,
          binaryPath: process.execPath,
          pidFile: join(dir, "run", "athens.pid"),
          logFile: join(dir, "run", "athens.log"),
          healthy: true,
          pid: null,
          identity: null,
          managed: false,
          adopted: true,
        },
      });
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("adopts as its own only a recorded process with the same URL that is still the one it recorded", async () => {
    const { url, server } = await serve(fakeAthens);
    const dir = mkdtempSync(join(tmpdir(), "slipway-athens-record-"));
    const me = processIdentity(process.pid);
    assert.ok(me !== undefined);
    const inputs = processInputs(Number(new URL(url).port), dir, { binary: process.execPath });
    const record = { pid: process.pid, identity: me, url, storageRoot: inputs.storageRoot, downloadMode: "none", networkMode: "offline" };
    // [what, record, managed]: the test process stands for the recorded Athens (adoption never signals it).
    const cases: readonly [string, object, boolean][] = [
      ["its record", record, true],
      ["a record for another URL", { ...record, url: `${url}0` }, false],
      ["a record of a recycled pid", { ...record, identity: "another start time" }, false],
    ];
    try {
      mkdirSync(join(dir, "run"));
      for (const [what, recorded, managed] of cases) {
        writeFileSync(join(dir, "run", "athens.json"), JSON.stringify(recorded));
        const outs = await startLocalAthens(inputs);
        assert.deepEqual(
          [outs.adopted, outs.managed, outs.pid, outs.identity, outs.healthy],
          managed ? [true, true, process.pid, me, true] : [true, false, null, null, true],
          what,
        );
      }
    } finally {
      await close(server);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("local Athens process: the real binary", () => {
  let dir = "";
  let upstream: Awaited<ReturnType<typeof serve>> | undefined;
  const started: number[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "slipway-athens-real-"));
    upstream = await serve((_request, response) => {
      response.statusCode = 500;
      response.end("the sealed proxy must never ask");
    });
  });

  after(async () => {
    for (const pid of started) {
      try {
        process.kill(-pid, "SIGKILL");
      } catch {
        // Already stopped.
      }
    }
    if (upstream !== undefined) await close(upstream.server);
    rmSync(dir, { recursive: true, force: true });
  });

  it("starts, serves sealed, adopts itself, restarts when killed and stops on delete", async (t) => {
    if (!requireTool(t, ATHENS_BINARY, "Athens (gomods/athens cmd/proxy v0.18.0)")) return;
    assert.ok(upstream !== undefined);
    const port = await freePort();
    const base = processInputs(port, dir);
    const inputs: LocalAthensProcessInputs = {
      ...base,
      env: athensServerEnv({
        mode: "sealed",
        upstream: upstream.url,
        listen: `127.0.0.1:${port}`,
        storage: { type: "disk", root: base.storageRoot },
      }),
    };
    const provider = localAthensProvider;

    const created = await provider.create(inputs);
    const outs = created.outs as LocalAthensProcessOutputs;
    assert.ok(outs.pid !== null);
    started.push(outs.pid);
    assert.equal(created.id, `http://127.0.0.1:${port}`);
    assert.equal(outs.adopted, false);
    assert.equal(outs.managed, true);
    assert.equal(outs.binaryPath, ATHENS_BINARY);
    assert.equal(readFileSync(join(dir, "run", "athens.pid"), "utf8"), `${outs.pid}\n`);
    assert.ok(existsSync(join(dir, "storage")), "the storage root is created");
    assert.equal((await fetch(`${outs.url}/healthz`)).status, 200);

    // Sealed: a module missing from storage is a 404, and the upstream is never asked.
    const missing = await fetch(`${outs.url}/example.com/hermetic/@v/v1.0.0.info`);
    assert.equal(missing.status, 404);
    assert.deepEqual(upstream.hits, []);

    // Running and unchanged: nothing to do.
    assert.equal(((await provider.read!(created.id, outs)).props as LocalAthensProcessOutputs).healthy, true);
    assert.deepEqual(await provider.diff!(created.id, outs, inputs), { changes: false, replaces: [], deleteBeforeReplace: true });

    // A second create on the same address adopts the running server it recorded, and refuses a different mode.
    const again = await startLocalAthens(inputs);
    assert.deepEqual([again.adopted, again.managed, again.pid], [true, true, outs.pid]);
    const warm = processInputs(port, dir, { downloadMode: "sync", networkMode: "strict" });
    await assert.rejects(
      startLocalAthens(warm),
      new RegExp(`runs none/offline on ${base.storageRoot}, not sync/strict on ${base.storageRoot}; stop it \\(kill ${outs.pid}\\)`),
    );

    // Killed behind Pulumi's back: read reports it, diff asks for an update, update restarts it.
    process.kill(outs.pid, "SIGKILL");
    await waitGone(outs.pid);
    assert.equal(((await provider.read!(created.id, outs)).props as LocalAthensProcessOutputs).healthy, false);
    assert.deepEqual(await provider.diff!(created.id, outs, inputs), { changes: true, replaces: [], deleteBeforeReplace: true });
    const updated = (await provider.update!(created.id, outs, inputs)).outs as LocalAthensProcessOutputs;
    assert.ok(updated.pid !== null && updated.pid !== outs.pid);
    started.push(updated.pid);
    assert.equal((await fetch(`${updated.url}/healthz`)).status, 200);

    // Delete stops the process it started and keeps the storage.
    await provider.delete!(created.id, updated);
    await waitGone(updated.pid);
    await assert.rejects(fetch(`${updated.url}/healthz`));
    assert.ok(existsSync(join(dir, "storage")), "storage survives delete");
    assert.equal(existsSync(join(dir, "run", "athens.pid")), false);
  });
});
