// What the local Athens provider asks the machine (providers/athensProbes.ts): health and identity of an
// Athens at a URL (against loopback stand-ins), who a pid is, where the binary is.
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, it } from "node:test";
import { isAthens, processIdentity, resolveBinary, unhealthyReason } from "../../providers/athensProbes";
import { close, fakeAthens, serve } from "../support/fakeAthens";
import { freePort } from "../support/registry";

describe("Athens probes", () => {
  it("finds a healthy Athens, sending URL credentials as basic auth", async () => {
    const athens = await serve(fakeAthens);
    try {
      const withCredentials = athens.url.replace("http://", "http://ci:p%40ss@");
      assert.equal(await unhealthyReason(withCredentials), undefined);
      assert.equal(await isAthens(athens.url), true);
      assert.deepEqual(athens.hits, [`GET /healthz Basic ${Buffer.from("ci:p@ss").toString("base64")}`, "GET /version"]);
    } finally {
      await close(athens.server);
    }
  });

  it("says why an address is not a healthy Athens", async () => {
    const other = await serve((_request, response) => {
      response.statusCode = 503;
      response.end("{}");
    });
    try {
      assert.equal(await unhealthyReason(other.url), "GET /healthz answered 503");
      assert.equal(await isAthens(other.url), false);
    } finally {
      await close(other.server);
    }
    const nobody = `http://127.0.0.1:${await freePort()}`;
    assert.equal(await unhealthyReason(nobody), "ECONNREFUSED");
    assert.equal(await isAthens(nobody), false);
  });

  it("tells a live process from a pid nobody has", () => {
    assert.equal(typeof processIdentity(process.pid), "string");
    assert.equal(processIdentity(process.pid), processIdentity(process.pid));
    assert.equal(processIdentity(2 ** 22 + 1), undefined);
  });

  it("finds the binary on PATH or says how to get it", () => {
    assert.equal(resolveBinary("node", `/nonexistent:${join(process.execPath, "..")}`), process.execPath);
    assert.throws(
      () => resolveBinary("proxy", "/nonexistent"),
      /^Error: Athens binary proxy is not on PATH; install it \(go install github\.com\/gomods\/athens\/cmd\/proxy@v0\.18\.0\) or set athens\.local\.binary$/,
    );
    assert.throws(() => resolveBinary("bin/proxy", "/usr/bin"), /not an executable file given by absolute path/);
  });
});
