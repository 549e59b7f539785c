// Signatures, SBOMs and provenance end to end on the `local` stack of a fresh checkout: the real pulumi CLI,
// a real registry, BuildKit and Athens. What slipway published is checked by independent means: the cosign
// and cyclonedx-gomod binaries themselves, `go version -m`, the state file and the engine's event log.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { openStack } from "../../engine/stack";
import { REGISTRY_BINARY, TestRegistry, freePort, pushSyntheticImage, startRegistry } from "../support/registry";
import { digestOf, indexPlatforms, retag } from "./support/oci";
import { Checkout, runNodeScript } from "./support/project";
import { scratchDir } from "./support/scratch";

const VERSION = "1.4.0";
const REPOSITORY = "hello";
const MODULE = "github.com/slipway-dev/hello-go";
const BINARIES = ["hello_1.4.0_linux_amd64", "hello_1.4.0_linux_arm64"];

interface ExportedResource {
  readonly type: string;
  readonly urn: string;
  readonly outputs?: Record<string, unknown>;
}

interface Diagnostic {
  readonly severity: string;
  readonly message: string;
  readonly urn?: string;
}

/** The diagnostics among `events` (JSON lines of engine events), in order. */
function diagnosticsOf(events: readonly string[]): Diagnostic[] {
  return events.flatMap((line) => (JSON.parse(line) as { diagnosticEvent?: Diagnostic }).diagnosticEvent ?? []);
}

/** The messages of the debug diagnostics among `events`, in order. */
function sdkDebugLines(events: readonly string[]): string[] {
  return diagnosticsOf(events).flatMap((d) => (d.severity === "debug" ? [d.message.trim()] : []));
}

describe("signed release on the local stack", { concurrency: false }, () => {
  const passphrase = randomBytes(16).toString("hex");
  let project: Checkout;
  let registry: TestRegistry;
  let index: string;
  const scratch = scratchDir("slipway-e2e-signing-");
  const engineEvents: string[] = [];
  const engineOutput: string[] = [];

  const releaseDir = () => join(project.dir, "dist", "releases", VERSION);
  const cosign = (...args: string[]) =>
    spawnSync("cosign", args, { cwd: releaseDir(), env: { ...project.env, COSIGN_EXPERIMENTAL: "0" }, encoding: "utf8" });
  const cosignOk = (...args: string[]) => {
    const run = cosign(...args);
    assert.equal(run.status, 0, `cosign ${args.join(" ")}:\n${run.stdout}\n${run.stderr}`);
    return run.stdout;
  };
  /** The first PEM block of cosign.pub: the current slot's key, the one this release was signed with. */
  const currentKey = () => {
    const text = readFileSync(join(releaseDir(), "cosign.pub"), "utf8");
    const block = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\n/.exec(text)?.[0];
    assert.ok(block !== undefined, "cosign.pub holds a PEM public key");
    const path = join(scratch, "current.pub");
    writeFileSync(path, block);
    return path;
  };
  const ref = () => `${registry.address}/${REPOSITORY}@${index}`;

  before(async () => {
    assert.ok(existsSync(REGISTRY_BINARY), "scripts/toolchain.sh install provides docker-registry");
    project = new Checkout(passphrase);
    registry = await startRegistry();
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(await freePort()), "--type", "int");
    // Two platforms keep the run short; both are image platforms, so each gets an SBOM attestation.
    project.ok("config", "set", "--stack", "local", "slipway:platforms", JSON.stringify(["linux/amd64", "linux/arm64"]));
  });

  after(async () => {
    project?.pulumi("destroy", "--stack", "local", "--yes");
    await registry?.stop();
  });

  it("1. publishes the public keys, the checksums bundle, an SBOM per binary and the provenance", async () => {
    // Through the Automation API, as slipway release runs it, to keep every engine event; with the SDK's debug
    // lines (every RPC answer, secret outputs among them), which test 6 searches for key material.
    const stack = await openStack({ stack: "local", projectDir: project.dir, env: { ...project.env, SLIPWAY_SDK_DEBUG: "1" } });
    await stack.up({
      diff: true,
      onEvent: (event) => engineEvents.push(JSON.stringify(event)),
      onOutput: (text) => engineOutput.push(text),
    });
    assert.deepEqual(
      readdirSync(releaseDir()).sort(),
      [
        "SHA256SUMS",
        "SHA256SUMS.cosign.bundle",
        "cosign.pub",
        "provenance.intoto.jsonl",
        ...BINARIES.flatMap((b) => [b, `${b}.cdx.json`, `${b}.tar.gz`]),
      ].sort(),
    );
    const found = await digestOf(registry.address, REPOSITORY, `v${VERSION}`);
    assert.ok(found !== undefined);
    index = found;
  });

  it("2. cosign verifies the index signature, the provenance and SBOM attestations and the checksums bundle", async () => {
    const key = currentKey();
    cosignOk("verify", "--key", key, "--insecure-ignore-tlog=true", ref());

    const provenance = cosignOk("verify-attestation", "--key", key, "--type", "slsaprovenance1", "--insecure-ignore-tlog=true", ref());
    const statement = JSON.parse(
      Buffer.from((JSON.parse(provenance.trim().split("\n")[0] ?? "{}") as { payload: string }).payload, "base64").toString("utf8"),
    ) as { subject: { name: string; digest: { sha256: string } }[] };
    assert.ok(
      statement.subject.some((s) => s.name === `${registry.address}/${REPOSITORY}` && `sha256:${s.digest.sha256}` === index),
      "the attested provenance names the index",
    );

    for (const [platform, manifest] of Object.entries(await indexPlatforms(registry.address, REPOSITORY, `v${VERSION}`))) {
      const platformRef = `${registry.address}/${REPOSITORY}@${manifest}`;
      cosignOk("verify-attestation", "--key", key, "--type", "cyclonedx", "--insecure-ignore-tlog=true", platformRef);
      const noProvenance = cosign(
        "verify-attestation",
        "--key",
        key,
        "--type",
        "slsaprovenance1",
        "--insecure-ignore-tlog=true",
        platformRef,
      );
      assert.notEqual(noProvenance.status, 0, `${platform}: no provenance attestation on a platform image, so cosign can fail here`);
    }

    cosignOk("verify-blob", "--key", key, "--bundle", "SHA256SUMS.cosign.bundle", "--insecure-ignore-tlog=true", "SHA256SUMS");
    execFileSync("sha256sum", ["--check", "--strict", "SHA256SUMS"], { cwd: releaseDir() });
  });

  it("3. the SBOMs are cyclonedx-gomod's of the real binaries, name each binary's platform, and list the project's module and its dependency", () => {
    for (const binary of BINARIES) {
      const path = join(releaseDir(), binary);
      const [goos = "", goarch = ""] = binary.split("_").slice(-2);
      const published = readFileSync(`${path}.cdx.json`, "utf8");
      // cyclonedx-gomod takes the package URLs' platform from `go env`: run it as for that binary.
      const fresh = execFileSync("cyclonedx-gomod", ["bin", "-json", "-noserial", "-notimestamp", path], {
        env: { ...project.env, GOOS: goos, GOARCH: goarch },
        encoding: "utf8",
      });
      assert.equal(published, fresh, `${binary}.cdx.json is what cyclonedx-gomod reads from ${binary}`);
      const urls = published.match(/"purl": "[^"]*"/g) ?? [];
      assert.equal(urls.length, 2, "the module and its one dependency");
      for (const url of urls) assert.ok(url.includes(`?goarch=${goarch}\\u0026goos=${goos}\\u0026`), `${binary}: ${url}`);
      const sbom = JSON.parse(published) as {
        metadata: { component: { name: string } };
        components?: { name: string; version: string }[];
      };
      assert.equal(sbom.metadata.component.name, MODULE);
      assert.ok(
        (sbom.components ?? []).some((c) => c.name === "github.com/google/uuid" && c.version === "v1.6.0"),
        "the SBOM lists the dependency go version -m sees",
      );
      assert.match(execFileSync("go", ["version", "-m", path], { encoding: "utf8" }), /\tdep\tgithub\.com\/google\/uuid\tv1\.6\.0\t/);
    }
  });

  it("4. a second pulumi up changes nothing: signatures and attestations are adopted, not made again", () => {
    const output = project.ok("up", "--stack", "local", "--yes", "--skip-preview", "--diff");
    engineOutput.push(output);
    assert.match(output, /Resources:\n\s+\d+ unchanged\n/);
    project.ok("preview", "--stack", "local", "--expect-no-changes");
    const policy = project.ok("preview", "--stack", "local", "--policy-pack", "policy");
    assert.match(policy, /✅ slipway@v0\.1\.0/, "release-signed-when-signing passes the signed stack");
  });

  it("5. slipway verify passes, and fails naming SHA256SUMS once it is tampered with", async () => {
    const env = { ...project.env, CI: "true" };
    const verify = () =>
      runNodeScript(join(project.dir, "bin", "slipway.js"), ["verify", VERSION, "--stack", "local"], { cwd: project.dir, env });
    const good = await verify();
    assert.equal(good.code, 0, `${good.stdout}\n${good.stderr}`);
    assert.match(good.stdout, /^\[ok\] +SHA256SUMS is signed \(SHA256SUMS\.cosign\.bundle\)/m);
    assert.match(good.stdout, /^\[ok\] +the index \S+ is signed by a published key/m);

    const sums = join(releaseDir(), "SHA256SUMS");
    const published = readFileSync(sums);
    appendFileSync(sums, `${"0".repeat(64)}  extra\n`);
    const tampered = await verify();
    assert.equal(tampered.code, 1, tampered.stdout);
    assert.match(tampered.stdout, /^\[FAIL\] SHA256SUMS is signed \(SHA256SUMS\.cosign\.bundle\): no signature verifies$/m);
    writeFileSync(sums, published);
  });

  it("6. the private keys are in the state only as secrets, and never in the engine's output or events", () => {
    const exported = JSON.parse(project.ok("stack", "export", "--stack", "local", "--show-secrets")) as {
      deployment: { resources: ExportedResource[] };
    };
    const keyPairs = exported.deployment.resources.filter((r) => r.type.endsWith(":CosignKeyPair"));
    assert.equal(keyPairs.length, 2, "two key slots");
    const material: string[] = [];
    for (const pair of keyPairs) {
      for (const field of ["privateKey", "password"]) {
        const value = pair.outputs?.[field] as { plaintext?: string } | undefined;
        assert.equal(typeof value?.plaintext, "string", `${pair.urn} ${field} is a secret`);
        const plain = JSON.parse(value?.plaintext ?? '""') as string;
        assert.ok(plain.length >= 16);
        if (field === "password") material.push(plain);
        else {
          assert.match(plain, /-----BEGIN [A-Z ]*PRIVATE KEY-----/);
          // The key's base64 body lines, each long enough that a match cannot be chance.
          material.push(...plain.split("\n").filter((line) => /^[A-Za-z0-9+/=]{40,}$/.test(line)));
        }
      }
    }
    assert.ok(material.length >= 4);
    // The SDK's debug lines reached the events, but not the ones with a key pair's answer (its secrets).
    const debugLines = sdkDebugLines(engineEvents);
    assert.ok(
      debugLines.includes(
        "Registering resource: t=pulumi-nodejs:dynamic/slipway:CosignKeyPair, name=hello-signing-keys-a, custom=true, remote=false",
      ),
      debugLines.join("\n"),
    );
    assert.ok(
      debugLines.some((line) => line.startsWith("RegisterResource RPC finished: resource:hello-supply-chain-public-keys[")),
      debugLines.join("\n"),
    );
    assert.ok(
      !debugLines.some((line) => /^RegisterResource RPC finished: resource:hello-signing-keys-[ab]\[/.test(line)),
      debugLines.join("\n"),
    );
    const stateFiles = execFileSync("find", [project.state, "-name", "*.json"], { encoding: "utf8" }).trim().split("\n");
    const state = stateFiles.map((f) => readFileSync(f, "utf8")).join("\n");
    const events = engineEvents.join("\n");
    const output = engineOutput.join("\n") + project.ok("stack", "output", "--stack", "local", "--json");
    for (const [where, text] of [
      ["the state file", state],
      ["the engine event log", events],
      ["the engine output", output],
    ] as const) {
      assert.ok(text.length > 1000, `${where} was read`);
      assert.doesNotMatch(text, /PRIVATE KEY-----/, `a PEM private key header in ${where}`);
      for (const secret of material) assert.equal(text.includes(secret), false, `key material in ${where}`);
    }
  });

  it("7. a key rotation on the published release re-signs in the registry once and keeps its published files", async () => {
    const previousKey = currentKey();
    const published = ["cosign.pub", "SHA256SUMS.cosign.bundle"].map((f) => readFileSync(join(releaseDir(), f), "utf8"));
    project.ok("config", "set", "--stack", "local", "--path", "slipway:rotation.generation", "2", "--type", "int");
    const stack = await openStack({ stack: "local", projectDir: project.dir, env: project.env });
    const steps: { op: string; urn: string }[] = [];
    const rotationEvents: string[] = [];
    await stack.up({
      onEvent: (event) => {
        engineEvents.push(JSON.stringify(event));
        rotationEvents.push(JSON.stringify(event));
        const step = event.resOutputsEvent?.metadata;
        if (step !== undefined) steps.push({ op: step.op, urn: step.urn });
      },
      onOutput: (text) => engineOutput.push(text),
    });
    const signatures = steps.filter((s) => /CosignSignature::/.test(s.urn)).map((s) => `${s.op} ${s.urn.split("::").pop() ?? ""}`);
    // The index signature, the provenance attestation and an SBOM attestation per platform are made once more
    // with the new key (cosign adds them; the old ones stay); the checksums bundle is a published file.
    assert.deepEqual(
      signatures.sort(),
      [
        "same hello-supply-chain-checksums-signature",
        "update hello-supply-chain-index-signature-0",
        "update hello-supply-chain-provenance-attestation-0",
        ...["linux-amd64", "linux-arm64"].map((p) => `update hello-supply-chain-sbom-attestation-0-${p}`),
      ].sort(),
    );
    assert.deepEqual(
      ["cosign.pub", "SHA256SUMS.cosign.bundle"].map((f) => readFileSync(join(releaseDir(), f), "utf8")),
      published,
      "a published release's files never change",
    );
    // Without SLIPWAY_SDK_DEBUG the program sends none of the SDK's debug lines about slipway's resources.
    assert.ok(rotationEvents.length > 50, "the rotation's events were read");
    assert.deepEqual(
      sdkDebugLines(rotationEvents).filter((line) => /[=[](slipway:|pulumi-nodejs:dynamic\/slipway:)/.test(line)),
      [],
    );
    const keys = (await stack.outputs()).publicKeys?.value as string;
    const rotated = /-----BEGIN PUBLIC KEY-----[\s\S]*?-----END PUBLIC KEY-----\n/.exec(keys)?.[0] ?? "";
    assert.ok(rotated !== "" && rotated !== readFileSync(previousKey, "utf8"), "the stack output leads with a new current key");
    assert.ok(keys.endsWith(readFileSync(previousKey, "utf8")), "and keeps the previous key, for the overlap");
    const rotatedPath = join(scratch, "rotated.pub");
    writeFileSync(rotatedPath, rotated);
    cosignOk("verify", "--key", rotatedPath, "--insecure-ignore-tlog=true", ref());
    cosignOk("verify", "--key", previousKey, "--insecure-ignore-tlog=true", ref());
    cosignOk("verify-attestation", "--key", rotatedPath, "--type", "slsaprovenance1", "--insecure-ignore-tlog=true", ref());
    cosignOk("verify-blob", "--key", previousKey, "--bundle", "SHA256SUMS.cosign.bundle", "--insecure-ignore-tlog=true", "SHA256SUMS");
    project.ok("preview", "--stack", "local", "--expect-no-changes");
  });

  it("8. a tag re-pointed by hand fails cosign verify and slipway verify (the index by digest still verifies)", async () => {
    const other = await pushSyntheticImage(registry.address, REPOSITORY, "not-this-release");
    await retag(registry.address, REPOSITORY, other.index, `v${VERSION}`);
    const byTag = `${registry.address}/${REPOSITORY}:v${VERSION}`;
    assert.notEqual(cosign("verify", "--key", currentKey(), "--insecure-ignore-tlog=true", byTag).status, 0);
    cosignOk("verify", "--key", currentKey(), "--insecure-ignore-tlog=true", ref());
    const run = await runNodeScript(join(project.dir, "bin", "slipway.js"), ["verify", VERSION, "--stack", "local"], {
      cwd: project.dir,
      env: { ...project.env, CI: "true" },
    });
    assert.equal(run.code, 1, run.stdout);
    assert.match(run.stdout, new RegExp(`^\\[FAIL\\] \\S+ v${VERSION.replace(/\./g, "\\.")} → `, "m"));
  });

  it("9. the release and the rotation show no warning and no error, in the engine's events or its output", () => {
    const diagnostics = diagnosticsOf(engineEvents)
      .filter((d) => d.severity === "warning" || d.severity === "error")
      .map((d) => `${d.severity} ${d.urn ?? ""}: ${d.message.trim()}`);
    assert.deepEqual(diagnostics, []);
    // Nor does the text the engine printed: no warning line, and no BuildKit cache-miss `ERROR:` passed through.
    const lines = engineOutput.join("").split("\n");
    assert.ok(lines.length > 100, "the engine's output was read");
    assert.deepEqual(
      lines.filter((line) => /^\s*(warning|error)\b|\bERROR:/i.test(line)),
      [],
    );
  });
});
