// `verify` on the release stack's settings (ECR, an external registry and a GitHub release), pointed at
// stand-ins: two token-auth registries on 127.0.0.1 (ECR's Basic AWS:<token>, GHCR's Bearer flow), the
// OpenAPI-checked GitHub stand-in, and an ECR GetAuthorizationToken that is the only thing mocked.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { describe, it } from "node:test";
import { parse } from "yaml";
import { ReleaseRecord } from "../../plan/releaseRecord";
import { RawStackConfig, parseStackConfig } from "../../plan/stackConfig";
import { planSupplyChain } from "../../plan/supplyChain";
import { CheckItem } from "../../plan/verifyChecklist";
import { VerifyReport, verifyRecorded } from "../../engine/verify";
import { EcrAuthorizationSource } from "../../engine/verifyRemote";
import { GithubStandIn } from "../support/githubStandIn";
import { TokenRegistry } from "../support/tokenRegistry";

const VERSION = "1.4.0";
const COMMIT = "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b";
const GITHUB_TOKEN = "ghs_verifyStandInToken";
const ECR_PASSWORD = "ecr-password-from-get-authorization-token";
const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

/**
 * The release stack's settings, with the external registry moved to `ghcrAddress` and bare binaries as assets
 * (or its archives); the supply chain as `chain` says (all off by default: these stand-ins hold no signatures).
 */
function releaseStackConfig(
  ghcrAddress: string,
  archives: boolean,
  imagePlatforms?: readonly string[],
  chain: Readonly<Record<"signing" | "sbom" | "provenance", boolean>> = { signing: false, sbom: false, provenance: false },
): RawStackConfig {
  const file = parse(readFileSync(join(__dirname, "..", "..", "stacks", "Pulumi.release.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) {
    values[key.replace(/^slipway:/, "")] = typeof value === "string" ? value : JSON.stringify(value);
  }
  values.registries = JSON.stringify([
    { kind: "ecr", region: "us-east-1" },
    { kind: "external", name: "ghcr", address: `${ghcrAddress}/slipway-dev`, username: "slipway-bot", passwordSecret: "ghcrToken" },
  ]);
  values.archives = archives ? JSON.stringify({ format: "tar.gz", binaries: false }) : "none";
  if (imagePlatforms !== undefined) values.imagePlatforms = JSON.stringify(imagePlatforms);
  Object.assign(values, {
    version: VERSION,
    commit: COMMIT,
    commitTime: "2026-11-20T10:00:00Z",
    ghcrToken: "ghcr-password",
    githubToken: GITHUB_TOKEN,
  });
  // Keyless signatures need GitHub Actions; their checks are tested in test/providers/supplyChainVerify.test.ts.
  Object.assign(values, {
    signing: String(chain.signing),
    sbom: String(chain.sbom),
    provenance: String(chain.provenance),
    keyless: "false",
  });
  return { values, secretKeys: new Set(["ghcrToken", "githubToken"]), project: "hello" };
}

interface Fault {
  readonly draft?: boolean;
  readonly missingAsset?: boolean;
  readonly ecrTagElsewhere?: boolean;
  readonly ecrTokenFails?: boolean;
  /** Publish the stack's archives instead of bare binaries. */
  readonly archives?: boolean;
  /** The linux/amd64 archive holds another binary than the image. */
  readonly archiveBinaryTampered?: boolean;
  /** One image platform: the tags name that platform's manifest, not an index. */
  readonly singlePlatform?: boolean;
  readonly signed?: boolean;
  /** SBOMs on (signing and provenance off), each published SBOM listing `sbomModules`. */
  readonly sboms?: { readonly modules: readonly string[]; readonly corrupt?: boolean };
  /** GitHub's API is unreachable. */
  readonly githubDown?: boolean;
}

/** A tar.gz or zip archive holding `files` (path inside the archive → bytes), made with the system's tools. */
function makeArchive(format: string, files: Readonly<Record<string, Buffer>>): Buffer {
  const work = mkdtempSync(join(tmpdir(), "slipway-verify-test-"));
  try {
    for (const [path, bytes] of Object.entries(files)) {
      mkdirSync(dirname(join(work, "content", path)), { recursive: true });
      writeFileSync(join(work, "content", path), bytes);
    }
    const out = join(work, `archive.${format}`);
    const paths = Object.keys(files);
    if (format === "zip") execFileSync("zip", ["-q", out, ...paths], { cwd: join(work, "content") });
    else execFileSync("tar", [format === "tar.xz" ? "-cJf" : "-czf", out, "-C", join(work, "content"), ...paths]);
    return readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Publishes the release into the stand-ins (with `fault`), runs verify, and stops them. */
async function verifyWith(fault: Fault, allowUnchecked: readonly string[] = []): Promise<VerifyReport> {
  const ecr = await TokenRegistry.start({ kind: "basic", username: "AWS", password: ECR_PASSWORD });
  const ghcr = await TokenRegistry.start({ kind: "bearer", username: "slipway-bot", password: "ghcr-password" });
  const github = await GithubStandIn.start({ token: GITHUB_TOKEN });
  try {
    const raw = releaseStackConfig(
      ghcr.address,
      fault.archives === true || fault.archiveBinaryTampered === true,
      fault.singlePlatform === true ? ["linux/amd64"] : undefined,
      fault.signed === true
        ? { signing: true, sbom: true, provenance: true }
        : { signing: false, sbom: fault.sboms !== undefined, provenance: false },
    );
    const settings = parseStackConfig(raw);
    const plan = settings.plan;
    const built: Record<string, Buffer> = {};
    for (const binary of plan.assets.binaries) built[binary.file] = Buffer.from(`${binary.file} built from ${COMMIT}\n`);
    const contents: Record<string, Buffer> = {};
    for (const binary of plan.assets.binaries) if (binary.published) contents[binary.file] = built[binary.file] as Buffer;
    for (const archive of plan.assets.archives) {
      const members: Record<string, Buffer> = {};
      for (const file of archive.binaries) {
        const binary = plan.assets.binaries.find((b) => b.file === file);
        if (binary === undefined) continue;
        const tampered = fault.archiveBinaryTampered === true && archive.platform === "linux/amd64";
        members[`${archive.directory === null ? "" : `${archive.directory}/`}${binary.executable}`] = tampered
          ? Buffer.from("a binary nobody built\n")
          : (built[file] as Buffer);
      }
      contents[archive.name] = makeArchive(archive.format, members);
    }
    const sums = Object.entries(contents).map(([name, bytes]) => `${sha256(bytes)}  ${name}\n`);
    contents[plan.assets.checksums.file] = Buffer.from(sums.join(""));
    for (const sbom of fault.sboms === undefined ? [] : planSupplyChain(plan, settings.supplyChain).sboms) {
      const components = fault.sboms?.modules.map((m) => ({ name: m.split("@")[0], version: m.split("@")[1] }));
      contents[sbom.asset] = Buffer.from(
        fault.sboms?.corrupt === true ? "not JSON" : JSON.stringify({ bomFormat: "CycloneDX", components }),
      );
    }
    const imageBinaries = Object.fromEntries(
      plan.image.platforms.map((p) => {
        const file = plan.assets.binaries.find((b) => b.platform === p && b.build === plan.image.build)?.file ?? "";
        return [p, built[file] ?? Buffer.alloc(0)];
      }),
    );
    const tags: Record<string, Record<string, string>> = {};
    for (const registry of settings.registries) {
      const target = registry.kind === "ecr" ? ecr : ghcr;
      const repository = registry.kind === "ecr" ? settings.imageName : `slipway-dev/${settings.imageName}`;
      const index = target.pushImage(repository, plan.tags, plan.image.executable, imageBinaries, fault.singlePlatform === true);
      tags[registry.name] = Object.fromEntries(plan.tags.map((t) => [t, index]));
      if (registry.kind === "ecr" && fault.ecrTagElsewhere === true) {
        const other = target.pushImage(repository, [], plan.image.executable, { "linux/amd64": Buffer.from("another build\n") });
        target.tag(repository, `v${VERSION}`, other);
      }
    }
    const releaseId = github.addRelease("slipway-dev", "hello-go", `v${VERSION}`, { draft: fault.draft === true });
    const names = Object.keys(contents).sort();
    for (const name of names)
      if (!(fault.missingAsset === true && name === names[0])) github.addAsset(releaseId, name, contents[name] as Buffer);
    const record: ReleaseRecord = {
      commit: COMMIT,
      assets: Object.fromEntries(Object.entries(contents).map(([n, b]) => [n, sha256(b)])),
      tags,
      location: `https://github.com/slipway-dev/hello-go/releases/tag/v${VERSION}`,
    };
    const ecrAuthorization: EcrAuthorizationSource = (region) => {
      assert.equal(region, "us-east-1");
      if (fault.ecrTokenFails === true) return Promise.reject(new Error("Unable to locate credentials"));
      return Promise.resolve({
        authorizationToken: Buffer.from(`AWS:${ECR_PASSWORD}`).toString("base64"),
        proxyEndpoint: `http://${ecr.address}`,
      });
    };
    const report = await verifyRecorded(
      { raw, releases: { [VERSION]: record } },
      {
        version: VERSION,
        ecrAuthorization,
        githubApiUrl: fault.githubDown === true ? "http://127.0.0.1:1" : github.apiUrl,
        allowUnchecked,
      },
    );
    assert.deepEqual(github.violations, []);
    return report;
  } finally {
    await Promise.all([ecr.stop(), ghcr.stop(), github.stop()]);
  }
}

/** Every binary of the release stack's plan, each with an SBOM when SBOMs are on. */
const BINARIES = parseStackConfig(releaseStackConfig("127.0.0.1:1", false)).plan.assets.binaries.map((b) => b.file);

const failures = (report: VerifyReport) => report.items.filter((i: CheckItem) => i.status === "fail").map((i) => `${i.id}: ${i.detail}`);

describe("verify a release stack against stand-ins", () => {
  it("passes a good release: ECR and the external registry, their images' binaries, the GitHub release", async () => {
    const report = await verifyWith({});
    assert.deepEqual(failures(report), []);
    assert.equal(report.ok, true);
    const ids = report.items.map((i) => i.id);
    for (const id of [
      "tag:ecr:v1.4.0",
      "binary:ecr:linux/amd64",
      "binary:ecr:linux/arm64",
      "release-tag",
      "published",
      "asset:SHA256SUMS",
    ]) {
      assert.ok(ids.includes(id), `${id} in ${ids.join(", ")}`);
    }
    assert.ok(report.items.every((i) => i.status === "pass"));
  });

  it("compares each image's binary with the one inside the release's archive, downloaded from GitHub", async () => {
    const report = await verifyWith({ archives: true });
    assert.deepEqual(failures(report), []);
    const binaries = report.items.filter((i) => i.id.startsWith("binary:"));
    assert.deepEqual(
      binaries.map((i) => `${i.id} ${i.status}`),
      ["ecr", "ghcr"].flatMap((r) => ["linux/amd64", "linux/arm64"].map((p) => `binary:${r}:${p} pass`)),
    );
    assert.ok(
      binaries.every((i) => /\.tar\.gz:/.test(i.title)),
      binaries.map((i) => i.title).join("\n"),
    );
  });

  it("fails when an archive on GitHub holds another binary than the image", async () => {
    const report = await verifyWith({ archiveBinaryTampered: true });
    const failed = failures(report);
    assert.deepEqual(
      failed.map((f) => f.split(":").slice(0, 3).join(":")),
      ["binary:ecr:linux/amd64", "binary:ghcr:linux/amd64"],
    );
    assert.match(failed[0] ?? "", /the image holds sha256 [0-9a-f]{64}, the asset is [0-9a-f]{64}$/);
  });

  it("refuses an --allow-unchecked name that names no check, before asking anything", async () => {
    await assert.rejects(
      verifyRecorded({ raw: releaseStackConfig("127.0.0.1:1", false), releases: {} }, { version: VERSION, allowUnchecked: ["github"] }),
      (error: Error) =>
        error.message === 'slipway:allowUnchecked = "github": names no check of this stack; fix: use one of ecr, ghcr, github-release',
    );
  });

  it("reads a one-platform image, whose tags name a plain manifest, by the platform its config records", async () => {
    const report = await verifyWith({ singlePlatform: true });
    assert.deepEqual(failures(report), []);
    assert.deepEqual(
      report.items.filter((i) => i.id.startsWith("binary:")).map((i) => `${i.id} ${i.status}`),
      ["binary:ecr:linux/amd64 pass", "binary:ghcr:linux/amd64 pass"],
    );
  });

  it("fails on a missing asset", async () => {
    const report = await verifyWith({ missingAsset: true });
    assert.equal(report.ok, false);
    assert.deepEqual(failures(report), ["asset:SHA256SUMS: the release has no such asset"]);
  });

  it("fails on a draft release", async () => {
    const report = await verifyWith({ draft: true });
    assert.deepEqual(failures(report), ["published: it is a draft"]);
  });

  it("fails on an ECR tag that points at another digest", async () => {
    const report = await verifyWith({ ecrTagElsewhere: true });
    assert.equal(report.ok, false);
    const failed = failures(report);
    assert.equal(failed.length, 1, failed.join("\n"));
    assert.match(failed[0] ?? "", /^tag:ecr:v1\.4\.0: 127\.0\.0\.1:\d+ serves sha256:[0-9a-f]{64}$/);
    const recorded = report.items.find((i) => i.id === "tag:ecr:latest")?.detail.split(" serves ")[1];
    assert.ok(recorded !== undefined && !(failed[0] ?? "").endsWith(recorded), "serves another digest than the recorded one");
  });

  it("fails when ECR cannot be checked, unless --allow-unchecked ecr", async () => {
    const refused = await verifyWith({ ecrTokenFails: true });
    assert.equal(refused.ok, false);
    const ecrItems = refused.items.filter((i) => i.id.startsWith("tag:ecr:"));
    assert.ok(ecrItems.length > 0);
    for (const item of ecrItems) {
      assert.equal(item.status, "fail");
      assert.equal(
        item.detail,
        "cannot be checked: no ECR authorization token: Unable to locate credentials; --allow-unchecked ecr accepts that",
      );
    }
    const allowed = await verifyWith({ ecrTokenFails: true }, ["ecr"]);
    assert.equal(allowed.ok, true);
    assert.ok(allowed.items.filter((i) => i.id.startsWith("tag:ecr:")).every((i) => i.status === "skip"));
  });

  it("downloads a GitHub release's supply-chain files and checks them: a signed release without them fails, allowed or not", async () => {
    for (const allow of [[], ["supply-chain"]]) {
      const report = await verifyWith({ signed: true }, allow);
      assert.deepEqual(
        failures(report).map((f) => f.split(":")[0]),
        [
          "signing.keys",
          "signing.index.127.0.0.1",
          "signing.index.127.0.0.1",
          "signing.checksums",
          ...BINARIES.map((b) => `sbom.${b}`),
          "provenance.subjects",
        ],
        failures(report).join("\n"),
      );
    }
  });

  it("reads the SBOMs downloaded from a GitHub release: listed modules pass, an unreadable SBOM fails", async () => {
    const good = await verifyWith({ sboms: { modules: ["github.com/google/uuid@v1.6.0"] }, archives: true });
    assert.deepEqual(failures(good), []);
    assert.deepEqual(
      good.items.filter((i) => i.id.startsWith("sbom.")).map((i) => `${i.id} ${i.status} ${i.detail}`),
      BINARIES.map((b) => `sbom.${b} pass 1 components`),
    );
    const corrupt = await verifyWith({ sboms: { modules: [], corrupt: true }, archives: true });
    assert.deepEqual(
      failures(corrupt).map((f) => f.replace(/: .*/, "")),
      BINARIES.map((b) => `sbom.${b}`),
    );
  });

  it("a GitHub release that cannot be read fails its supply chain as unchecked, unless --allow-unchecked supply-chain", async () => {
    const refused = await verifyWith({ sboms: { modules: [] }, githubDown: true }, ["github-release"]);
    const failed = failures(refused);
    assert.equal(failed.length, 1, failed.join("\n"));
    assert.match(
      failed[0] ?? "",
      /^supply-chain: cannot be checked: the GitHub release cannot be read: GitHub GET \/repos\/slipway-dev\/hello-go\/releases\?per_page=100&page=1 failed: network error: .*; --allow-unchecked supply-chain accepts that$/,
    );
    const allowed = await verifyWith({ sboms: { modules: [] }, githubDown: true }, ["github-release", "supply-chain"]);
    assert.equal(allowed.ok, true, failures(allowed).join("\n"));
    assert.equal(allowed.items.find((i) => i.id === "supply-chain")?.status, "skip");
  });
});
