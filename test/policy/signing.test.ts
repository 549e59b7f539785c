// release-signed-when-signing, on what the program really declares (the stack snapshots in test/golden/)
// and on those snapshots with one piece of the signing taken away.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { PolicyResource } from "@pulumi/policy";
import { policies } from "../../policy/policies";
import { SigningSubject, releaseSignedWhenSigning, unsignedReleaseProblems } from "../../policy/signing";

type Snapshot = { type: string; name: string; inputs?: Record<string, unknown> }[];

function stack(file: string): SigningSubject[] {
  const snapshot = JSON.parse(readFileSync(join(__dirname, "..", "golden", file), "utf8")) as Snapshot;
  return snapshot.map((r) => ({
    type: r.type,
    name: r.name,
    urn: `urn:pulumi:test::slipway::${r.type}::${r.name}`,
    props: r.inputs ?? {},
  }));
}

const messages = (resources: readonly SigningSubject[]) => unsignedReleaseProblems(resources).map((p) => p.message);
const without = (resources: readonly SigningSubject[], drop: (r: SigningSubject) => boolean) => resources.filter((r) => !drop(r));
const isType = (kind: string) => (r: SigningSubject) => r.type.startsWith("pulumi-nodejs:dynamic/") && r.type.endsWith(`:${kind}`);
const signatureOf = (kind: string) => (r: SigningSubject) => isType("CosignSignature")(r) && r.props.kind === kind;
const DIGEST = `sha256:${"d".repeat(64)}`;

describe("release-signed-when-signing", () => {
  it("is in the policy set, mandatory", () => {
    assert.ok(policies.includes(releaseSignedWhenSigning));
    assert.equal(releaseSignedWhenSigning.enforcementLevel, "mandatory");
  });

  for (const file of ["stack-local.json", "stack-release.json"]) {
    it(`passes what the program declares (${file}), which has key pairs, tags and a published checksums file to check`, () => {
      const resources = stack(file);
      assert.ok(resources.some(isType("CosignKeyPair")) && resources.some(isType("RegistryTag")) && resources.some(isType("GoBuild")));
      assert.deepEqual(messages(resources), []);
    });
  }

  const local = stack("stack-local.json");
  const release = stack("stack-release.json");
  const cases: { name: string; resources: SigningSubject[]; expected: string[] }[] = [
    {
      name: "an index without its image signature",
      resources: without(local, signatureOf("image")),
      expected: [
        `hello-image-local-immutable-0: the index 127.0.0.1:5000/hello@${DIGEST} would go out unsigned (no cosign image signature of it)`,
      ],
    },
    {
      name: "one registry's index unsigned on the release stack",
      resources: without(release, (r) => r.name === "hello-supply-chain-index-signature-1"),
      expected: [
        `hello-image-ghcr.io-immutable-0: the index ghcr.io/slipway-dev/hello@${DIGEST} would go out unsigned (no cosign image signature of it)`,
      ],
    },
    {
      name: "a tag pointing at another digest than the signed one",
      resources: local.map((r) => (r.name === "hello-image-local-latest" ? { ...r, props: { ...r.props, digest: "sha256:other" } } : r)),
      expected: [
        "hello-image-local-latest: the index 127.0.0.1:5000/hello@sha256:other would go out unsigned (no cosign image signature of it)",
      ],
    },
    {
      name: "SHA256SUMS without a blob signature",
      resources: without(local, signatureOf("blob")),
      expected: ["hello-local-publication: SHA256SUMS would go out unsigned (no cosign blob signature of it)"],
    },
    {
      name: "SHA256SUMS published without its bundle (local)",
      resources: local.map((r) =>
        isType("LocalRelease")(r)
          ? {
              ...r,
              props: { ...r.props, files: (r.props.files as { name: string }[]).filter((f) => f.name !== "SHA256SUMS.cosign.bundle") },
            }
          : r,
      ),
      expected: ["hello-local-publication: SHA256SUMS would go out unsigned (SHA256SUMS.cosign.bundle is not published beside it)"],
    },
    {
      name: "SHA256SUMS published without its bundle (GitHub)",
      resources: without(release, (r) => r.name === "hello-github-asset-SHA256SUMS.cosign.bundle"),
      expected: ["hello-github-asset-SHA256SUMS: SHA256SUMS would go out unsigned (SHA256SUMS.cosign.bundle is not published beside it)"],
    },
    {
      name: "signing off: no key pairs, no signatures, nothing to refuse",
      resources: without(local, (r) => isType("CosignKeyPair")(r) || isType("CosignSignature")(r)),
      expected: [],
    },
  ];
  for (const c of cases) {
    it(`refuses ${c.name}`, () => assert.deepEqual(messages(c.resources), c.expected));
  }

  it("reports through validateStack with the urn of the resource to blame", async () => {
    const found: { message: string; urn: string | undefined }[] = [];
    const resources = without(local, signatureOf("blob")).map((r) => ({ ...r, urn: r.urn ?? "" }) as unknown as PolicyResource);
    await releaseSignedWhenSigning.validateStack(
      { resources, stackTags: new Map(), getConfig: <T extends object>() => ({}) as T, notApplicable: (): never => assert.fail() },
      (message, urn) => found.push({ message, urn }),
    );
    assert.deepEqual(found, [
      {
        message:
          "hello-local-publication: SHA256SUMS would go out unsigned (no cosign blob signature of it); slipway:signing is on, so the release must be signed",
        urn: "urn:pulumi:test::slipway::pulumi-nodejs:dynamic/slipway:LocalRelease::hello-local-publication",
      },
    ]);
  });
});
