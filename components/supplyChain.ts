import * as pulumi from "@pulumi/pulumi";
import { join } from "node:path";
import { SlipwayInputError } from "../plan/errors";
import { ProvenanceFacts, renderProvenance, renderProvenancePredicate } from "../plan/provenance";
import { ReleasePlan } from "../plan/releasePlan";
import { SIGSTORE, SupplyChainPlan } from "../plan/supplyChain";
import { CosignKey } from "../providers/cosign";
import { CosignSignature } from "../providers/cosignSignature";
import { BuiltFile } from "../providers/goBuild";
import { KeylessSignature } from "../providers/keylessSignature";
import { SbomFile, TextFile } from "../providers/supplyChainFiles";
import { PushedRepository } from "./multiArchImage";

/** The pushed image: what its signatures and attestations are attached to. */
export interface SignedImage {
  /** Digest of the image index (`sha256:…`). */
  readonly digest: pulumi.Input<string>;
  /** Platform (`linux/amd64`) → manifest digest. */
  readonly platformDigests: pulumi.Input<Record<string, string>>;
  /** The repositories the index was pushed to, each with its registry's login (signatures are pushed beside the index). */
  readonly repositories: readonly PushedRepository[];
}

export interface SupplyChainArgs {
  /** The release plan. Required. */
  readonly plan: ReleasePlan;
  /** What to sign, attest and publish (`planSupplyChain`). Required. */
  readonly chain: SupplyChainPlan;
  /** Built release files by asset name (GoBinaries, and the channels' packages). Required. */
  readonly files: pulumi.Input<Record<string, BuiltFile>>;
  /** Every compiled binary by file name (GoBinaries), published or only archived: what the SBOMs describe. Required. */
  readonly binaries: pulumi.Input<Record<string, BuiltFile>>;
  /** Release assets in `files` besides the plan's (packages, install.sh), for provenance. Defaults to none. */
  readonly extraAssets?: readonly string[];
  /** Absolute directory the SBOMs, bundle, provenance and cosign.pub are written to. Required. */
  readonly outputDir: string;
  /** The current signing key (secret). Required when the chain signs. */
  readonly key?: pulumi.Input<CosignKey>;
  /** The current public key (PEM). Required when the chain signs. */
  readonly publicKey?: pulumi.Input<string>;
  /** Both public keys, the content of `cosign.pub`. Required when the chain signs. */
  readonly publicKeys?: pulumi.Input<string>;
  /** The pushed image. Defaults to none: nothing is signed in a registry. */
  readonly image?: SignedImage;
  /** Go version, GOPROXY and fetched modules of the build, for provenance. Required when the chain has provenance. */
  readonly build?: pulumi.Input<Pick<ProvenanceFacts, "goVersion" | "goproxy" | "modules">>;
  /** Certificate identities a keyless signature is adopted for (`workflowIdentityPattern`). Required when the chain signs keyless. */
  readonly keylessIdentity?: string;
  /** Who runs the release. Defaults to `{id: "urn:slipway:local", version: "0"}`. */
  readonly builder?: ProvenanceFacts["builder"];
  /**
   * This version is already published: its release files (`cosign.pub`, the checksums bundle) keep what was
   * published, since a published release's files never change; signatures in the registry, which only add,
   * are still made with the current key. Defaults to false.
   */
  readonly republished?: boolean;
}

function builtFile(files: Record<string, BuiltFile>, name: string): BuiltFile {
  const file = files[name];
  if (file === undefined) throw new Error(`the build produced no ${name}`);
  return file;
}

/**
 * Signatures, SBOMs and provenance of one release: a CycloneDX SBOM per binary, the checksums file's
 * signature bundle, `cosign.pub`, the SLSA provenance statement, and in the registry the index signature
 * and per-platform SBOM and provenance attestations. Existing signatures that verify with the current key
 * are adopted, so a second `pulumi up` changes nothing.
 */
export class SupplyChain extends pulumi.ComponentResource {
  /** The files this adds to the release, by asset name (path, sha256, size). */
  public readonly files: pulumi.Output<Record<string, BuiltFile>>;
  /** Number of signatures and attestations made in the registry, for the floating tags to wait on. */
  public readonly registrySignatures: pulumi.Output<number>;

  constructor(name: string, args: SupplyChainArgs, opts?: pulumi.ComponentResourceOptions) {
    const { chain, plan } = args;
    const signs = chain.settings.signing;
    if (signs && (args.key === undefined || args.publicKey === undefined || args.publicKeys === undefined)) {
      throw new SlipwayInputError(
        "signing",
        true,
        "signing needs the stack's key pair",
        "pass key, publicKey and publicKeys from SigningKeys",
      );
    }
    if (chain.keyless !== undefined && args.keylessIdentity === undefined) {
      throw new SlipwayInputError(
        "keyless",
        true,
        "keyless signing needs the identity it is made for",
        "pass keylessIdentity (workflowIdentityPattern)",
      );
    }
    if (chain.provenance !== undefined && args.build === undefined) {
      throw new SlipwayInputError("provenance", true, "provenance needs the build's Go version, proxy and modules", "pass build");
    }
    super("slipway:signing:SupplyChain", name, {}, opts);
    const child = { parent: this };
    const files = pulumi.output(args.files);
    const added: Record<string, pulumi.Output<BuiltFile>> = {};
    const record = (asset: string, file: { path: pulumi.Output<string>; sha256: pulumi.Output<string>; size: pulumi.Output<number> }) => {
      added[asset] = pulumi.all([file.path, file.sha256, file.size]).apply(([path, sha256, size]) => ({ path, sha256, size }));
    };

    for (const sbom of chain.sboms) {
      const binary = pulumi.output(args.binaries).apply((built) => builtFile(built, sbom.binary));
      record(
        sbom.asset,
        new SbomFile(
          // Named by build and platform, not by the versioned file: the next release updates it in place.
          `${name}-sbom-${sbom.build}-${sbom.platform.replace(/\//g, "-")}`,
          {
            binary: binary.path,
            binarySha256: binary.sha256,
            goos: sbom.os,
            goarch: sbom.arch,
            path: join(args.outputDir, sbom.asset),
          },
          child,
        ),
      );
    }

    const key = args.key ?? pulumi.output({ privateKey: "", password: "", publicKey: "" });
    const signing = {
      publicKey: args.publicKey ?? "",
      privateKey: pulumi.secret(pulumi.output(key).apply((k) => k.privateKey)),
      password: pulumi.secret(pulumi.output(key).apply((k) => k.password)),
    };
    // After a key rotation, a published release keeps the keys and bundle it was published with (still valid in the overlap).
    const keepPublished = (fields: string[]) => (args.republished === true ? { ...child, ignoreChanges: fields } : child);
    if (chain.publicKey !== undefined) {
      record(
        chain.publicKey,
        new TextFile(
          `${name}-public-keys`,
          { path: join(args.outputDir, chain.publicKey), content: args.publicKeys ?? "" },
          keepPublished(["content"]),
        ),
      );
    }
    if (chain.checksums !== undefined) {
      const sums = files.apply((built) => builtFile(built, chain.checksums?.file ?? ""));
      const bundle = new CosignSignature(
        `${name}-checksums-signature`,
        { kind: "blob", subject: sums.path, digest: sums.sha256, bundlePath: join(args.outputDir, chain.checksums.bundle), ...signing },
        keepPublished(["publicKey", "privateKey", "password"]),
      );
      record(chain.checksums.bundle, {
        path: bundle.bundlePath.apply((p) => p ?? ""),
        sha256: bundle.bundleSha256,
        size: bundle.bundleSize,
      });
    }

    const registrySignatures: (CosignSignature | KeylessSignature)[] = [];
    const image = args.image;
    const repositories = image?.repositories ?? [];
    if (image !== undefined && chain.signIndex) {
      repositories.forEach(({ url: repository, credentials: registryCredentials }, index) => {
        const ref = pulumi.interpolate`${repository}@${image.digest}`;
        registrySignatures.push(
          new CosignSignature(
            `${name}-index-signature-${index}`,
            { kind: "image", subject: ref, digest: pulumi.output(image.digest), ...signing, registryCredentials },
            child,
          ),
        );
        for (const sbom of chain.sboms.filter((s) => s.inImage)) {
          const sbomFile = added[sbom.asset] as pulumi.Output<BuiltFile>;
          const digest = pulumi.output(image.platformDigests).apply((d) => d[sbom.platform] ?? "");
          registrySignatures.push(
            new CosignSignature(
              `${name}-sbom-attestation-${index}-${sbom.platform.replace(/\//g, "-")}`,
              {
                kind: "attestation",
                subject: pulumi.interpolate`${repository}@${digest}`,
                digest,
                attestationType: "cyclonedx",
                predicatePath: sbomFile.path,
                predicateSha256: sbomFile.sha256,
                ...signing,
                registryCredentials,
              },
              child,
            ),
          );
        }
      });
    }

    const keyless = chain.keyless;
    if (keyless !== undefined) {
      const sigstore = { identityPattern: args.keylessIdentity as string, ...SIGSTORE };
      const sums = files.apply((built) => builtFile(built, keyless.file));
      const bundle = new KeylessSignature(
        `${name}-keyless-checksums-signature`,
        { kind: "blob", subject: sums.path, digest: sums.sha256, bundlePath: join(args.outputDir, keyless.bundle), ...sigstore },
        child,
      );
      record(keyless.bundle, { path: bundle.bundlePath.apply((p) => p ?? ""), sha256: bundle.bundleSha256, size: bundle.bundleSize });
      if (image !== undefined) {
        repositories.forEach(({ url: repository, credentials: registryCredentials }, index) => {
          registrySignatures.push(
            new KeylessSignature(
              `${name}-keyless-index-signature-${index}`,
              {
                kind: "image",
                subject: pulumi.interpolate`${repository}@${image.digest}`,
                digest: pulumi.output(image.digest),
                ...sigstore,
                registryCredentials,
              },
              child,
            ),
          );
        });
      }
    }

    if (chain.provenance !== undefined && args.build !== undefined) {
      // The release file's statement covers the release's files only, so the release directory never waits
      // for the image (a registry outage must not hold back the assets); the index's own provenance is the
      // attestation cosign attaches to it, whose subject is the index.
      const fileFacts = pulumi.all([files, pulumi.all(added), args.build]).apply(([built, extra, build]): ProvenanceFacts => {
        const assets: Record<string, string> = {};
        for (const name of [...plan.assets.checksums.order, ...(args.extraAssets ?? []), plan.assets.checksums.file])
          assets[name] = builtFile(built, name).sha256;
        for (const sbom of chain.sboms) assets[sbom.asset] = (extra[sbom.asset] as BuiltFile).sha256;
        return { ...build, assets, images: [], builder: args.builder ?? { id: "urn:slipway:local", version: "0" } };
      });
      const facts = pulumi
        .all([fileFacts, image?.digest ?? "", pulumi.all(repositories.map((r) => pulumi.output(r.url)))])
        .apply(([file, digest, repos]): ProvenanceFacts => ({
          ...file,
          images: digest === "" ? [] : repos.map((repository) => ({ repository, digest })),
        }));
      const statement = new TextFile(
        `${name}-provenance`,
        { path: join(args.outputDir, chain.provenance), content: fileFacts.apply((f) => renderProvenance(plan, f)) },
        child,
      );
      record(chain.provenance, statement);
      if (image !== undefined && chain.signIndex) {
        const predicate = new TextFile(
          `${name}-provenance-predicate`,
          { path: join(args.outputDir, ".provenance.predicate.json"), content: facts.apply((f) => renderProvenancePredicate(plan, f)) },
          child,
        );
        repositories.forEach(({ url: repository, credentials: registryCredentials }, index) => {
          registrySignatures.push(
            new CosignSignature(
              `${name}-provenance-attestation-${index}`,
              {
                kind: "attestation",
                subject: pulumi.interpolate`${repository}@${image.digest}`,
                digest: pulumi.output(image.digest),
                attestationType: "slsaprovenance1",
                predicatePath: predicate.path,
                predicateSha256: predicate.sha256,
                ...signing,
                registryCredentials,
              },
              child,
            ),
          );
        });
      }
    }

    this.files = pulumi.all(added);
    this.registrySignatures = pulumi.all(registrySignatures.map((s) => s.adopted)).apply((list) => list.length);
    this.registerOutputs({ files: this.files, registrySignatures: this.registrySignatures });
  }
}
