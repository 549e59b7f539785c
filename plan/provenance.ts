import { byteOrder } from "./assets";
import { canonicalJson } from "./canonicalJson";
import { ReleasePlan } from "./releasePlan";
import { IN_TOTO_STATEMENT_V1, SLIPWAY_BUILD_TYPE, SLSA_PROVENANCE_V1 } from "./supplyChain";

/** What only the deployment knows: digests of what was built, and the tools that built it. */
export interface ProvenanceFacts {
  /** Release asset name → sha256 (hex) of every asset the statement covers. */
  readonly assets: Readonly<Record<string, string>>;
  /** The pushed image indexes: repository (`registry/name`) and index digest (`sha256:…`). */
  readonly images: readonly { readonly repository: string; readonly digest: string }[];
  /** `go env GOVERSION` of the build, e.g. `go1.26.8`. */
  readonly goVersion: string;
  /** GOPROXY the build fetched through; credentials are removed before it is recorded. */
  readonly goproxy: string;
  /** Modules fetched through the proxy, `path@version`. */
  readonly modules: readonly string[];
  /** Who ran the release: a URI (the workflow in CI, `urn:slipway:local` on a workstation) and slipway's version. */
  readonly builder: { readonly id: string; readonly version: string };
}

interface Subject {
  readonly name: string;
  readonly digest: { readonly sha256: string };
}

const SHA256 = /^[0-9a-f]{64}$/;

function sha256Of(value: string, what: string): string {
  const hex = value.startsWith("sha256:") ? value.slice("sha256:".length) : value;
  // Digests come from the build and the registry, never from a user: a bad one is a bug, not a setting.
  if (!SHA256.test(hex)) throw new Error(`provenance: ${what} has no sha256 digest (${JSON.stringify(value)})`);
  return hex;
}

/** A GOPROXY list with the user information of every URL removed (`https://u:p@host/` → `https://host/`). */
export function redactGoproxy(goproxy: string): string {
  return goproxy.replace(/(^|[,|])([a-z][a-z0-9+.-]*:\/\/)[^/@,|]*@/gi, "$1$2");
}

/**
 * The SLSA v1 provenance statement of a release, from its plan and what the deployment built. Every time in
 * it is the commit time and every list is sorted, so two releases of one commit give identical bytes.
 */
export function provenanceStatement(plan: ReleasePlan, facts: ProvenanceFacts): unknown {
  const subjects: Subject[] = [
    ...Object.keys(facts.assets).map((name) => ({ name, digest: { sha256: sha256Of(facts.assets[name] as string, name) } })),
    ...facts.images.map((image) => ({ name: image.repository, digest: { sha256: sha256Of(image.digest, image.repository) } })),
  ].sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.digest.sha256, b.digest.sha256));
  const source = plan.labels["org.opencontainers.image.source"];
  return {
    _type: IN_TOTO_STATEMENT_V1,
    subject: subjects,
    predicateType: SLSA_PROVENANCE_V1,
    predicate: {
      buildDefinition: {
        buildType: SLIPWAY_BUILD_TYPE,
        externalParameters: {
          name: plan.name,
          version: plan.version,
          builds: plan.builds.map((b) => ({
            id: b.id,
            main: b.main,
            binary: b.binary,
            ldflags: b.ldflags,
            flags: [...b.flags],
            tags: [...b.tags],
            env: { ...b.env },
            platforms: b.platforms.map((p) => p.id),
          })),
          imagePlatforms: [...plan.image.platforms],
        },
        internalParameters: {
          goVersion: facts.goVersion,
          goproxy: redactGoproxy(facts.goproxy),
          sourceDateEpoch: plan.commit.sourceDateEpoch,
          trimpath: true,
          cgo: false,
        },
        resolvedDependencies: [
          {
            uri: source === undefined ? `git+commit:${plan.commit.sha}` : `git+${source}@v${plan.version}`,
            digest: { gitCommit: plan.commit.sha },
          },
          ...[...new Set(facts.modules)].sort(byteOrder).map((module) => ({ uri: `pkg:golang/${module}` })),
        ],
      },
      runDetails: {
        builder: { id: facts.builder.id, version: { slipway: facts.builder.version, go: facts.goVersion } },
        metadata: {
          invocationId: `${plan.name}@${plan.version}+${plan.commit.sha}`,
          startedOn: plan.commit.time,
          finishedOn: plan.commit.time,
        },
      },
    },
  };
}

/** The statement as one line of JSON Lines (`provenance.intoto.jsonl`), keys sorted: reproducible bytes. */
export function renderProvenance(plan: ReleasePlan, facts: ProvenanceFacts): string {
  return `${canonicalJson(provenanceStatement(plan, facts), 0)}\n`;
}

/** Just the predicate, as `cosign attest --type slsaprovenance1 --predicate` takes it. */
export function renderProvenancePredicate(plan: ReleasePlan, facts: ProvenanceFacts): string {
  const statement = provenanceStatement(plan, facts) as { predicate: unknown };
  return `${canonicalJson(statement.predicate, 0)}\n`;
}
