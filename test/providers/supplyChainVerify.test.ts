// The supply-chain checks of `slipway verify` on a release directory written here. Signature checks need
// cosign and run in cosignSignature.test.ts, but for the index check against a registry that needs a login;
// these cover the SBOM and provenance checks and the key file.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { renderProvenance } from "../../plan/provenance";
import { CheckItem } from "../../plan/verifyChecklist";
import { planRelease } from "../../plan/releasePlan";
import { SIGSTORE, planSupplyChain, workflowIdentityPattern } from "../../plan/supplyChain";
import { CosignKey, dockerConfigFor, generateKeyPair, signBlob } from "../../providers/cosign";
import { ensureSignature } from "../../providers/cosignSignature";
import { ensureKeylessSignature } from "../../providers/keylessSignature";
import { binaryModules, publicKeysOf, supplyChainFiles, verifySupplyChain } from "../../providers/supplyChainVerify";
import { cosignStandIn } from "../support/cosignStandIn";
import { REGISTRY_BINARY, TestRegistry, pushSyntheticImage, requireTool, startRegistry } from "../support/registry";
import { TOOLCHAIN_DIR } from "../support/toolchain";
import { releaseInput } from "../support/release";
import { requireTool as findTool } from "../support/tools";

const plan = planRelease(releaseInput({ platforms: ["linux/amd64"], archives: "none" }));
// Signing off, so no cosign runs; provenance is on only to check its subjects here.
const chain = planSupplyChain(plan, { signing: false, sbom: true, provenance: true, keyless: false });
const hex = (c: string) => c.repeat(64);
const assets = { "hello_1.4.0_linux_amd64": hex("a"), SHA256SUMS: hex("b"), "hello_1.4.0_linux_amd64.cdx.json": hex("c") };
const images = [{ repository: "127.0.0.1:5000/hello", digest: `sha256:${hex("d")}` }];
const go = findTool("go");
const SBOM = JSON.stringify({ bomFormat: "CycloneDX", components: [{ name: "github.com/google/uuid", version: "v1.6.0" }] });

const dirs: string[] = [];
function tempDir(prefix = "slipway-verify-chain-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(dir);
  return dir;
}

function release(provenanceAssets: Record<string, string>): string {
  const dir = tempDir();
  writeFileSync(join(dir, "hello_1.4.0_linux_amd64.cdx.json"), SBOM);
  const facts = {
    assets: provenanceAssets,
    images,
    goVersion: "go1.26.8",
    goproxy: "off",
    modules: [],
    builder: { id: "urn:slipway:local", version: "0" },
  };
  writeFileSync(join(dir, "provenance.intoto.jsonl"), renderProvenance(plan, facts));
  return dir;
}

describe("verifySupplyChain", () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("passes when the SBOM is there and provenance covers every recorded asset", async () => {
    const items = await verifySupplyChain({ chain, releaseDir: release(assets), assets, images });
    assert.deepEqual(
      items.map((i) => [i.id, i.status]),
      [
        ["sbom.hello_1.4.0_linux_amd64", "pass"],
        ["provenance.subjects", "pass"],
      ],
    );
  });

  it("titles each check and says what passed: the SBOM's components, the provenance subjects", async () => {
    assert.deepEqual(await verifySupplyChain({ chain, releaseDir: release(assets), assets, images }), [
      {
        id: "sbom.hello_1.4.0_linux_amd64",
        status: "pass",
        title: "hello_1.4.0_linux_amd64.cdx.json lists the binary's modules",
        detail: "1 components",
      },
      { id: "provenance.subjects", status: "pass", title: "provenance subjects match every recorded asset", detail: "3 subjects" },
    ]);
  });

  it("compares the SBOM with the binary's modules by the go of the given tool environment, not this process's PATH", async () => {
    const dir = release(assets);
    writeFileSync(join(dir, "hello_1.4.0_linux_amd64"), "not a real binary: only the stand-in go reads it");
    const tools = tempDir("slipway-verify-tools-");
    const goListing = (dep: string) => {
      writeFileSync(join(tools, "go"), `#!/bin/sh\nprintf 'x: go1.26.8\\n\\tdep\\t${dep}\\th1:x\\n'\n`);
      chmodSync(join(tools, "go"), 0o755);
    };
    const sbomItem = async () =>
      (await verifySupplyChain({ chain, releaseDir: dir, assets, images, toolEnv: { PATH: `${tools}:/usr/bin:/bin` } })).find((i) =>
        i.id.startsWith("sbom."),
      );
    goListing("github.com/google/uuid\\tv1.6.0");
    assert.deepEqual([(await sbomItem())?.status, (await sbomItem())?.detail], ["pass", "1 components"]);
    goListing("golang.org/x/sys\\tv0.30.0");
    assert.deepEqual([(await sbomItem())?.status, (await sbomItem())?.detail], ["fail", "does not list golang.org/x/sys@v0.30.0"]);
  });

  it("fails when an asset differs from its provenance subject (a tampered asset)", async () => {
    const items = await verifySupplyChain({ chain, releaseDir: release(assets), assets: { ...assets, SHA256SUMS: hex("e") }, images });
    const provenance = items.find((i) => i.id === "provenance.subjects");
    assert.equal(provenance?.status, "fail");
    assert.equal(provenance?.detail, "not matching: SHA256SUMS");
  });

  it("matches a provenance subject by name and digest: another asset with the same digest covers no asset", async () => {
    const others = { "hello_1.4.0_linux_amd64": hex("a"), "hello_1.4.0_linux_amd64.cdx.json": hex("c") };
    const sameDigest = { ...assets, SHA256SUMS: hex("a") };
    const items = await verifySupplyChain({ chain, releaseDir: release({ ...others, SHA256SUMS: hex("e") }), assets: sameDigest, images });
    assert.equal(items.find((i) => i.id === "provenance.subjects")?.detail, "not matching: SHA256SUMS");
    const renamed = await verifySupplyChain({ chain, releaseDir: release(others), assets: sameDigest, images });
    assert.equal(renamed.find((i) => i.id === "provenance.subjects")?.detail, "not matching: SHA256SUMS");
  });

  it("fails on a provenance file that is not an in-toto statement", async () => {
    const dir = release(assets);
    writeFileSync(join(dir, "provenance.intoto.jsonl"), "not json\n");
    assert.deepEqual(
      (await verifySupplyChain({ chain, releaseDir: dir, assets, images })).find((i) => i.id === "provenance.subjects"),
      {
        id: "provenance.subjects",
        status: "fail",
        title: "provenance is an in-toto statement",
        detail: "provenance.intoto.jsonl is not JSON",
      },
    );
  });

  it("checks the provenance file against the release's files only: the index has its own attestation", async () => {
    const moved = [{ repository: "127.0.0.1:5000/hello", digest: `sha256:${hex("f")}` }];
    const items = await verifySupplyChain({ chain, releaseDir: release(assets), assets, images: moved });
    assert.equal(items.find((i) => i.id === "provenance.subjects")?.status, "pass");
    const missing = await verifySupplyChain({ chain, releaseDir: release({}), assets, images });
    assert.equal(
      missing.find((i) => i.id === "provenance.subjects")?.detail,
      "not matching: hello_1.4.0_linux_amd64, SHA256SUMS, hello_1.4.0_linux_amd64.cdx.json",
    );
  });

  it("fails on a missing SBOM and a missing provenance file", async () => {
    const dir = tempDir();
    const items = await verifySupplyChain({ chain, releaseDir: dir, assets, images });
    assert.deepEqual(
      items.map((i) => [i.id, i.status, i.title, i.detail]),
      [
        ["sbom.hello_1.4.0_linux_amd64", "fail", "hello_1.4.0_linux_amd64.cdx.json lists the binary's modules", "missing"],
        ["provenance.subjects", "fail", "provenance is published", "no provenance.intoto.jsonl"],
      ],
    );
  });

  it("fails when the release's files cannot be read, naming why, unless --allow-unchecked supply-chain", async () => {
    const run = async (allowUnchecked: string[]) =>
      (await verifySupplyChain({ chain, releaseDir: undefined, unreadable: "GitHub is down", assets, images, allowUnchecked })).map(
        (i) => `${i.id}:${i.status}:${i.detail}`,
      );
    assert.deepEqual(await run([]), ["supply-chain:fail:cannot be checked: GitHub is down; --allow-unchecked supply-chain accepts that"]);
    assert.deepEqual(await run(["ecr", "supply-chain"]), [
      "supply-chain:skip:not checked (--allow-unchecked supply-chain): GitHub is down",
    ]);
  });

  const unreadable: [string, { unreadable?: string; allowUnchecked?: string[] }, CheckItem][] = [
    [
      "no reason given",
      {},
      {
        id: "supply-chain",
        status: "fail",
        title: "signatures, SBOMs and provenance",
        detail: "cannot be checked: the release's files cannot be read; --allow-unchecked supply-chain accepts that",
      },
    ],
    [
      "no reason given, allowed unchecked",
      { allowUnchecked: ["supply-chain"] },
      {
        id: "supply-chain",
        status: "skip",
        title: "signatures, SBOMs and provenance",
        detail: "not checked (--allow-unchecked supply-chain): the release's files cannot be read",
      },
    ],
    [
      "GitHub is down, another check allowed unchecked",
      { unreadable: "GitHub is down", allowUnchecked: ["ecr"] },
      {
        id: "supply-chain",
        status: "fail",
        title: "signatures, SBOMs and provenance",
        detail: "cannot be checked: GitHub is down; --allow-unchecked supply-chain accepts that",
      },
    ],
  ];
  for (const [title, extra, expected] of unreadable) {
    it(`unreadable release files: ${title}`, async () => {
      assert.deepEqual(await verifySupplyChain({ chain, releaseDir: undefined, assets, images, ...extra }), [expected]);
    });
  }

  it("has nothing to check, readable or not, when the chain publishes nothing", async () => {
    const nothing = planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: false });
    assert.deepEqual(await verifySupplyChain({ chain: nothing, releaseDir: undefined, unreadable: "GitHub is down", assets, images }), []);
  });

  it("names the files the checks read, each once, in byte order", () => {
    assert.deepEqual(supplyChainFiles(chain), ["hello_1.4.0_linux_amd64", "hello_1.4.0_linux_amd64.cdx.json", "provenance.intoto.jsonl"]);
    const signed = planSupplyChain(plan, { signing: true, sbom: true, provenance: true, keyless: false });
    assert.deepEqual(supplyChainFiles(signed), [
      "SHA256SUMS",
      "SHA256SUMS.cosign.bundle",
      "cosign.pub",
      "hello_1.4.0_linux_amd64",
      "hello_1.4.0_linux_amd64.cdx.json",
      "provenance.intoto.jsonl",
    ]);
    assert.deepEqual(supplyChainFiles(planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: false })), []);
    assert.deepEqual(supplyChainFiles(planSupplyChain(plan, { signing: false, sbom: false, provenance: false, keyless: true })), [
      "SHA256SUMS",
      "SHA256SUMS.sigstore.json",
    ]);
  });

  describe("the SBOM against a real Go binary (go version -m)", { skip: go.skip }, () => {
    // Two dependencies, replaced by local directories (no proxy): go lists them with no sum (three fields), each
    // followed by its `=>` replacement, after the main module's `mod` line; by path, so example.com/m before
    // example.com/m-x, where slipway's order (whole `path@version` strings) puts m-x first.
    let built = "";
    const MODULES = ["example.com/m-x@v1.0.0", "example.com/m@v1.0.0"];
    const sbomOf = (modules: string[]) =>
      JSON.stringify({
        bomFormat: "CycloneDX",
        components: modules.map((m) => ({ name: m.split("@")[0], version: m.split("@")[1] })),
      });
    before(() => {
      const root = tempDir("slipway-verify-gobinary-");
      const module = (dir: string, path: string, source: string, requires = "") => {
        mkdirSync(join(root, dir));
        writeFileSync(join(root, dir, "go.mod"), `module ${path}\n\ngo 1.22\n${requires}`);
        writeFileSync(join(root, dir, "main.go"), source);
      };
      module("m", "example.com/m", 'package m\n\nconst Name = "m"\n');
      module("mx", "example.com/m-x", 'package mx\n\nconst Name = "m-x"\n');
      module(
        "hello",
        "example.com/hello",
        'package main\n\nimport (\n\t"example.com/m"\n\tmx "example.com/m-x"\n)\n\nfunc main() { println(m.Name, mx.Name) }\n',
        "\nrequire (\n\texample.com/m v1.0.0\n\texample.com/m-x v1.0.0\n)\n\nreplace example.com/m => ../m\n\nreplace example.com/m-x => ../mx\n",
      );
      built = join(root, "hello.bin");
      execFileSync(go.path ?? "go", ["build", "-o", built, "."], {
        cwd: join(root, "hello"),
        env: { ...process.env, GOPROXY: "off", GOFLAGS: "-mod=mod", GOWORK: "off", GOTOOLCHAIN: "local", CGO_ENABLED: "0" },
        stdio: "ignore",
      });
    });
    /** The SBOM check of a release holding `sbom` and `binary`, and where the binary is. */
    const sbomCheck = async (sbom: string, toolEnv?: NodeJS.ProcessEnv, binary = built) => {
      const dir = release(assets);
      writeFileSync(join(dir, "hello_1.4.0_linux_amd64.cdx.json"), sbom);
      copyFileSync(binary, join(dir, "hello_1.4.0_linux_amd64"));
      const item = (await verifySupplyChain({ chain, releaseDir: dir, assets, images, toolEnv })).find((i) => i.id.startsWith("sbom."));
      return { status: item?.status, detail: item?.detail, binary: join(dir, "hello_1.4.0_linux_amd64") };
    };

    it("binaryModules lists the dependencies only (not the main module, not the replacements), as path@version in byte order", () => {
      assert.deepEqual(binaryModules(built), MODULES);
      assert.throws(() => binaryModules(built, { PATH: "/nonexistent" }), { message: `go version -m ${built}: spawnSync go ENOENT` });
      const failing = tempDir("slipway-verify-failing-go-");
      writeFileSync(join(failing, "go"), "#!/bin/sh\necho 'first line' >&2\necho 'go: last line' >&2\nexit 2\n", { mode: 0o755 });
      assert.throws(() => binaryModules(built, { PATH: failing }), { message: `go version -m ${built}: go: last line` });
    });

    const listings: [string, string[], string, string][] = [
      ["every module listed", MODULES, "pass", "2 components"],
      ["more listed than the binary has", [...MODULES, "golang.org/x/sys@v0.30.0"], "pass", "3 components"],
      ["one module missing", ["example.com/m@v1.0.0"], "fail", "does not list example.com/m-x@v1.0.0"],
      ["none listed", [], "fail", "does not list example.com/m-x@v1.0.0, example.com/m@v1.0.0"],
      ["another version listed", ["example.com/m-x@v1.0.0", "example.com/m@v1.0.1"], "fail", "does not list example.com/m@v1.0.0"],
    ];
    for (const [title, modules, status, detail] of listings) {
      it(`the SBOM against the binary: ${title}`, async () => {
        const { status: got, detail: said } = await sbomCheck(sbomOf(modules));
        assert.deepEqual([got, said], [status, detail]);
      });
    }

    it("reads the binary with the local go even when the tool environment's go env file asks for another toolchain", async () => {
      const goenv = join(tempDir("slipway-verify-goenv-"), "env");
      writeFileSync(goenv, "GOTOOLCHAIN=go1.999.0\n");
      const { status, detail } = await sbomCheck(sbomOf(MODULES), { ...process.env, GOENV: goenv, GOPROXY: "off" });
      assert.deepEqual([status, detail], ["pass", "2 components"]);
    });

    it("fails saying the file has no Go build information when go cannot read it as a Go binary", async () => {
      const notGo = join(tempDir("slipway-verify-notgo-"), "hello");
      writeFileSync(notGo, "#!/bin/sh\necho not a Go binary\n");
      const { status, detail, binary } = await sbomCheck(sbomOf(MODULES), undefined, notGo);
      assert.deepEqual([status, detail], ["fail", `go version -m ${binary}: no Go build information (exit status 1)`]);
    });
  });

  describe("keyless signatures (cosign stand-in: Fulcio and Rekor are unreachable here)", () => {
    const keyless = planSupplyChain(plan, { signing: false, sbom: false, provenance: true, keyless: true });
    const identity = workflowIdentityPattern("acme", "hello");
    const previous = process.env.SLIPWAY_COSIGN;
    after(() => {
      if (previous === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = previous;
    });
    const ref = `${images[0]?.repository ?? ""}@${images[0]?.digest ?? ""}`;
    let standIn = cosignStandIn();
    const signedRelease = async (owner: string) => {
      standIn = cosignStandIn();
      process.env.SLIPWAY_COSIGN = standIn.path;
      const dir = release(assets);
      writeFileSync(join(dir, "SHA256SUMS"), "sums\n");
      const env = { ACTIONS_ID_TOKEN_REQUEST_URL: "unused", ACTIONS_ID_TOKEN_REQUEST_TOKEN: "unused" };
      const base = { identityPattern: workflowIdentityPattern(owner, "hello"), ...SIGSTORE, digest: images[0]?.digest ?? "" };
      const workflow = `https://github.com/${owner}/hello/.github/workflows/release.yml@refs/tags/v1.4.0`;
      const token = () => Promise.resolve(new Response(JSON.stringify({ value: workflow })));
      await ensureKeylessSignature(
        { ...base, kind: "blob", subject: join(dir, "SHA256SUMS"), bundlePath: join(dir, "SHA256SUMS.sigstore.json") },
        env,
        token,
      );
      await ensureKeylessSignature(
        { ...base, kind: "image", subject: `${images[0]?.repository ?? ""}@${images[0]?.digest ?? ""}` },
        env,
        token,
      );
      return dir;
    };
    const keylessStatus = async (dir: string, keylessIdentity: string | undefined) =>
      (
        await verifySupplyChain({
          chain: keyless,
          releaseDir: dir,
          assets: { ...assets, "SHA256SUMS.sigstore.json": hex("9") },
          images,
          keylessIdentity,
        })
      )
        .filter((i) => i.id.startsWith("keyless.") || i.id === "provenance.subjects")
        .map((i) => `${i.id}:${i.status}`);

    it("passes when the checksums bundle and each index verify for the repository's workflows; the bundle is no provenance subject", async () => {
      assert.deepEqual(await keylessStatus(await signedRelease("acme"), identity), [
        "keyless.checksums:pass",
        "keyless.index.127.0.0.1:5000/hello:pass",
        "provenance.subjects:pass",
      ]);
    });

    it("fails when the signatures carry another repository's identity, or verify knows no identity", async () => {
      const dir = await signedRelease("mallory");
      assert.deepEqual((await keylessStatus(dir, identity)).slice(0, 2), [
        "keyless.checksums:fail",
        "keyless.index.127.0.0.1:5000/hello:fail",
      ]);
      assert.deepEqual((await keylessStatus(await signedRelease("acme"), undefined)).slice(0, 2), [
        "keyless.checksums:fail",
        "keyless.index.127.0.0.1:5000/hello:fail",
      ]);
    });

    const keylessItems = async (dir: string, keylessIdentity: string | undefined, toolEnv?: NodeJS.ProcessEnv) =>
      (await verifySupplyChain({ chain: keyless, releaseDir: dir, assets, images, keylessIdentity, toolEnv })).filter((i) =>
        i.id.startsWith("keyless."),
      );
    const keylessChecks = (status: "pass" | "fail", detail: string): CheckItem[] => [
      { id: "keyless.checksums", status, title: "SHA256SUMS is signed keyless (SHA256SUMS.sigstore.json)", detail },
      { id: "keyless.index.127.0.0.1:5000/hello", status, title: `the index ${ref} is signed keyless`, detail },
    ];

    it("verifies the bundle and each index for the identity and GitHub Actions' issuer, and says so", async () => {
      const dir = await signedRelease("acme");
      const signed = standIn.calls().length;
      assert.deepEqual(await keylessItems(dir, identity), keylessChecks("pass", "verified"));
      const trust = ["--certificate-identity-regexp", identity, "--certificate-oidc-issuer", SIGSTORE.oidcIssuer];
      assert.deepEqual(
        standIn
          .calls()
          .slice(signed)
          .map((c) => c.args),
        [
          ["verify-blob", "--bundle", join(dir, "SHA256SUMS.sigstore.json"), ...trust, join(dir, "SHA256SUMS")],
          ["verify", ...trust, ref],
        ],
      );
    });

    it("says no keyless signature verifies, and without an identity runs no cosign at all", async () => {
      assert.deepEqual(
        await keylessItems(await signedRelease("mallory"), identity),
        keylessChecks("fail", "no keyless signature verifies"),
      );
      const dir = await signedRelease("acme");
      const signed = standIn.calls().length;
      assert.deepEqual(await keylessItems(dir, undefined), keylessChecks("fail", "no keyless signature verifies"));
      assert.equal(standIn.calls().length, signed, "nothing is verified without an identity");
    });

    it("runs cosign in the tool environment: an index without a recorded login is read with its docker login", async () => {
      const dir = await signedRelease("acme");
      const docker = tempDir("slipway-verify-docker-");
      writeFileSync(join(docker, "config.json"), dockerConfigFor(ref, { username: "me", password: "mine" }));
      const signed = standIn.calls().length;
      assert.deepEqual(await keylessItems(dir, identity, { ...process.env, DOCKER_CONFIG: docker }), keylessChecks("pass", "verified"));
      assert.deepEqual(
        standIn
          .calls()
          .slice(signed)
          .map((c) => [c.args[0], c.registryLogins]),
        [
          ["verify-blob", { "127.0.0.1:5000": "me:mine" }],
          ["verify", { "127.0.0.1:5000": "me:mine" }],
        ],
      );
    });
  });

  describe("the index signature in a registry that needs a login (real cosign and registry)", () => {
    const cosign = process.env.SLIPWAY_COSIGN ?? join(TOOLCHAIN_DIR, "bin", "cosign");
    const login = { username: "release-bot", password: "s3cret-token" };
    const signing = planSupplyChain(plan, { signing: true, sbom: false, provenance: false, keyless: false });
    let registry: TestRegistry | undefined;
    let dir = "";
    let image = { repository: "", digest: "" };
    let current: CosignKey | undefined;
    const previous = process.env.SLIPWAY_COSIGN;
    before(async () => {
      if (!existsSync(REGISTRY_BINARY) || !existsSync(cosign)) return;
      process.env.SLIPWAY_COSIGN = cosign;
      registry = await startRegistry(undefined, login);
      const pushed = await pushSyntheticImage(registry.address, "acme/hello", "verify", login);
      image = { repository: `${registry.address}/acme/hello`, digest: pushed.index };
      // Signed before a key rotation: by the previous key, which cosign.pub publishes second.
      current = await generateKeyPair("current-password");
      const key = await generateKeyPair("verify-password");
      await ensureSignature({
        kind: "image",
        subject: `${image.repository}@${image.digest}`,
        digest: image.digest,
        publicKey: key.publicKey,
        privateKey: key.privateKey,
        password: key.password,
        registryCredentials: login,
      });
      dir = release(assets);
      writeFileSync(join(dir, "cosign.pub"), `${current.publicKey}${key.publicKey}`);
      writeFileSync(join(dir, "SHA256SUMS"), `${hex("a")}  hello_1.4.0_linux_amd64\n`);
      writeFileSync(join(dir, "SHA256SUMS.cosign.bundle"), await signBlob(join(dir, "SHA256SUMS"), key));
    });
    after(async () => {
      await registry?.stop();
      if (previous === undefined) delete process.env.SLIPWAY_COSIGN;
      else process.env.SLIPWAY_COSIGN = previous;
    });
    const indexStatus = async (credentials: typeof login | undefined) =>
      (await verifySupplyChain({ chain: signing, releaseDir: dir, assets, images: [{ ...image, credentials }] }))
        .filter((i) => i.id.startsWith("signing.index."))
        .map((i) => i.status);

    it("verifies with the registry's login, and fails without it (the registry answers 401, no signature is read)", async (t) => {
      if (!requireTool(t, cosign, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
      assert.deepEqual(await indexStatus(login), ["pass"]);
      assert.deepEqual(await indexStatus(undefined), ["fail"]);
      assert.deepEqual(await indexStatus({ ...login, password: "wrong" }), ["fail"]);
    });

    const ref = () => `${image.repository}@${image.digest}`;
    const check = async (releaseDir: string, credentials?: typeof login, toolEnv?: NodeJS.ProcessEnv) =>
      await verifySupplyChain({ chain: signing, releaseDir, assets, images: [{ ...image, credentials }], toolEnv });
    /** A copy of the signed release with some files replaced (a string) or left out (undefined). */
    const variant = (files: Record<string, string | undefined>) => {
      const copy = tempDir();
      for (const name of ["cosign.pub", "SHA256SUMS", "SHA256SUMS.cosign.bundle"]) {
        const text = name in files ? files[name] : readFileSync(join(dir, name), "utf8");
        if (text !== undefined) writeFileSync(join(copy, name), text);
      }
      return copy;
    };

    it("passes a signature by either published key (here the previous one), titling each check", async (t) => {
      if (!requireTool(t, cosign, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
      assert.deepEqual(await check(dir, login), [
        { id: "signing.keys", status: "pass", title: "cosign.pub holds the stack's public keys", detail: "2 keys" },
        {
          id: `signing.index.${image.repository}`,
          status: "pass",
          title: `the index ${ref()} is signed by a published key`,
          detail: "verified",
        },
        { id: "signing.checksums", status: "pass", title: "SHA256SUMS is signed (SHA256SUMS.cosign.bundle)", detail: "verified" },
      ]);
    });

    const failures: [string, () => Record<string, string | undefined>, string][] = [
      [
        "a tampered checksums file, and no login to read the index",
        () => ({ SHA256SUMS: `${hex("b")}  hello_1.4.0_linux_amd64\n` }),
        "2 keys",
      ],
      ["only the current key published (it signed nothing yet)", () => ({ "cosign.pub": current?.publicKey ?? "" }), "1 keys"],
      ["a cosign.pub without a key", () => ({ "cosign.pub": "not a key\n" }), "0 keys"],
      ["no cosign.pub", () => ({ "cosign.pub": undefined }), "0 keys"],
    ];
    for (const [title, files, keys] of failures) {
      it(`fails, saying no signature verifies: ${title}`, async (t) => {
        if (!requireTool(t, cosign, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
        const withLogin = keys !== "2 keys";
        assert.deepEqual(
          (await check(variant(files()), withLogin ? login : undefined)).map((i) => [i.id, i.status, i.detail]),
          [
            ["signing.keys", keys === "0 keys" ? "fail" : "pass", keys],
            [`signing.index.${image.repository}`, "fail", "no signature verifies"],
            ["signing.checksums", "fail", "no signature verifies"],
          ],
        );
      });
    }

    it("reads an index without a recorded login with the tool environment's docker login", async (t) => {
      if (!requireTool(t, cosign, "cosign") || !requireTool(t, REGISTRY_BINARY, "docker-registry")) return;
      const docker = tempDir("slipway-verify-docker-");
      writeFileSync(join(docker, "config.json"), dockerConfigFor(ref(), login));
      const items = await check(dir, undefined, { ...process.env, DOCKER_CONFIG: docker });
      assert.equal(items.find((i) => i.id.startsWith("signing.index."))?.status, "pass");
    });
  });

  it("reads both public keys of cosign.pub, current first", () => {
    const pem = (body: string) => `-----BEGIN PUBLIC KEY-----\n${body}\n-----END PUBLIC KEY-----`;
    assert.deepEqual(publicKeysOf(`${pem("NEW")}\n${pem("OLD")}\n`), [`${pem("NEW")}\n`, `${pem("OLD")}\n`]);
    assert.deepEqual(publicKeysOf("garbage"), []);
  });
});
