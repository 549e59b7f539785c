// The Release component with mocks: what it refuses before declaring anything, and which tag its GitHub
// release takes. The whole program's resources are covered by test/program.stacks.test.ts.
import assert from "node:assert/strict";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { Release, ReleaseArgs } from "../../components/release";
import { planRelease } from "../../plan/releasePlan";
import { RegistrySettings } from "../../plan/stackConfig";
import { Registration, named, ofType, recordRegistrations, settle } from "../support/mocks";
import { releaseInput } from "../support/release";
import { PROVIDER_INVOKES, providerOutputs } from "../support/stackSnapshot";

const MODULE = join(__dirname, "..", "..", "examples", "hello-go");
const BUILD_DIR = mkdtempSync(join(tmpdir(), "slipway-release-test-"));
const DIGEST = `sha256:${"b".repeat(64)}`;
const ECR: RegistrySettings = {
  name: "ecr",
  kind: "ecr",
  address: undefined,
  region: "us-east-1",
  username: undefined,
  passwordSecret: undefined,
};
const GHCR: RegistrySettings = {
  name: "ghcr",
  kind: "external",
  address: "ghcr.io/acme",
  region: undefined,
  username: "acme-bot",
  passwordSecret: "registryToken",
};
const LOCAL: RegistrySettings = {
  name: "local",
  kind: "local",
  address: "127.0.0.1:5000",
  region: undefined,
  username: undefined,
  passwordSecret: undefined,
};
let registrations: Registration[];

function args(overrides: Partial<ReleaseArgs> = {}): ReleaseArgs {
  return {
    plan: planRelease(releaseInput({ platforms: ["linux/amd64"] })),
    moduleDir: MODULE,
    buildDir: BUILD_DIR,
    releaseDir: join(BUILD_DIR, "releases"),
    secret: (name) => pulumi.secret(`${name}-value`),
    athens: { kind: "local", source: "endpoint", url: "http://127.0.0.1:3000" },
    registries: [LOCAL],
    ...overrides,
  };
}

/** Registrations of one Release, by the name its children start with. */
async function declared(name: string): Promise<Registration[]> {
  await settle();
  return registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
}

describe("Release", () => {
  before(async () => {
    registrations = await recordRegistrations({
      invokes: PROVIDER_INVOKES,
      // The "recorded" release's build was made by an older Go than the one on PATH now.
      outputs: (r) => ({ ...providerOutputs(r), ...(r.name === "recorded-binaries-build" ? { goVersion: "go1.21.0" } : {}) }),
    });
  });

  const refused: [string, Partial<ReleaseArgs>, RegExp][] = [
    [
      "a base image without its registry",
      { baseImage: `debian@${DIGEST}` },
      /^slipway:baseImage = "debian@sha256:b+": base images are pinned by digest, with the registry named; fix: /,
    ],
    [
      "a base image with no registries",
      { registries: [], baseImage: `127.0.0.1:5000/base@${DIGEST}` },
      /: the stack has no registries, so no image is built on it; fix: remove slipway:baseImage, or add a registry/,
    ],
    [
      "a foreign base image with ECR only",
      { registries: [ECR], baseImage: `ghcr.io/acme/base@${DIGEST}` },
      /: is not in a registry of the stack's own, and ECR repositories are not mirror targets; fix: copy it into ECR in us-east-1/,
    ],
  ];
  for (const [title, overrides, message] of refused) {
    it(`refuses ${title} before declaring anything`, async () => {
      const name = `refused${refused.findIndex(([t]) => t === title)}`;
      assert.throws(() => new Release(name, args(overrides)), { name: "SlipwayInputError", message });
      assert.deepEqual(await declared(name), []);
    });
  }

  it("builds an ECR-only stack's image on a base image already in the stack's ECR, with no mirror", async () => {
    const base = `123456789012.dkr.ecr.us-east-1.amazonaws.com/base/static@${DIGEST}`;
    new Release("ecronly", args({ registries: [ECR], baseImage: base }));
    const mine = await declared("ecronly");
    assert.equal(ofType(mine, "slipway:image:BaseImage").length, 1);
    assert.deepEqual(ofType(mine, "pulumi-nodejs:dynamic/slipway:ImageMirror"), []);
    const build = named(mine, "ecronly-image-build-linux-amd64");
    assert.equal((build.inputs.buildArgs as Record<string, string>).BASE_IMAGE, base);
  });

  const templateOrders: [string, string[]][] = [
    ["latest and the commit tag before the exact version", ["latest", "sha-{{sha}}", "v{{version}}"]],
    ["the commit tag only", ["sha-{{sha}}"]],
    ["an exact version without the v", ["{{version}}", "latest"]],
  ];
  for (const [title, tagTemplates] of templateOrders) {
    it(`the GitHub release takes the tag v<version> whatever the image tag templates: ${title}`, async () => {
      const name = `gh${templateOrders.findIndex(([t]) => t === title)}`;
      const plan = planRelease(releaseInput({ platforms: ["linux/amd64"], tagTemplates }));
      assert.notEqual(plan.tags[0], "v1.4.0");
      new Release(name, args({ plan, github: { owner: "acme", repo: "hello", tokenSecret: "githubToken" } }));
      const mine = await declared(name);
      assert.equal(named(mine, `${name}-github-release`).inputs.tagName, "v1.4.0");
      assert.equal(named(mine, `${name}-github-publication`).inputs.tagName, "v1.4.0");
    });
  }

  it("names in the provenance the Go the build recorded, not the one on PATH", async () => {
    new Release("recorded", args());
    const predicate = named(await declared("recorded"), "recorded-supply-chain-provenance-predicate");
    const content = JSON.parse(String(predicate.inputs.content)) as { buildDefinition: { internalParameters: { goVersion: string } } };
    assert.equal(content.buildDefinition.internalParameters.goVersion, "go1.21.0");
  });

  it("signs and attests in each registry with that registry's own login: ECR's token, the external registry's token, none locally", async () => {
    new Release("signed", args({ registries: [LOCAL, ECR, GHCR] }));
    const mine = await declared("signed");
    const inRegistry = ofType(mine, "pulumi-nodejs:dynamic/slipway:CosignSignature").filter((r) => r.inputs.kind !== "blob");
    const secret = (value: unknown) => ({ [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value });
    const wanted: Record<string, unknown> = {
      "127.0.0.1:5000": undefined,
      "123456789012.dkr.ecr.us-east-1.amazonaws.com": secret({ username: "AWS", password: "ecr-token" }),
      "ghcr.io": secret({ username: "acme-bot", password: "registryToken-value" }),
    };
    // The index signature, the SBOM attestation and the provenance attestation, in each of the three registries.
    assert.equal(inRegistry.length, 9);
    for (const signature of inRegistry) {
      const host = String(signature.inputs.subject).split("/")[0] ?? "";
      assert.ok(host in wanted, `${signature.name} signs in ${host}`);
      assert.deepEqual(signature.inputs.registryCredentials, wanted[host], `${signature.name} logs in to ${host}`);
    }
  });
});
