// --- (7) with signing on, nothing goes out unsigned ------------------------------------------------------
//
// Signing is on when the stack holds cosign key pairs (components/signingKeys.ts declares them only then).
// Then every image index a registry tag points at needs an image signature, and a published checksums file
// needs its `cosign sign-blob` bundle published beside it and a blob signature of it. Unknown values (a
// digest during preview) are proxies that stop the rule; it runs in full on `pulumi up`.
import { StackValidationPolicy } from "@pulumi/policy";
import { checksumsBundleName } from "../plan/supplyChain";
import { Props, isDynamicType, list, record } from "./props";

/** The parts of a resource this rule reads. */
export interface SigningSubject {
  readonly type: string;
  readonly name: string;
  readonly urn?: string;
  readonly props: Props;
}

const isSlipway = (resource: SigningSubject, kind: string) => isDynamicType(resource.type) && resource.type.endsWith(`:${kind}`);

/** What would go out unsigned, one line per problem, with the resource to blame; empty when signing is off. */
export function unsignedReleaseProblems(resources: readonly SigningSubject[]): { message: string; resource: SigningSubject }[] {
  if (!resources.some((r) => isSlipway(r, "CosignKeyPair"))) return [];
  const signatures = resources.filter((r) => isSlipway(r, "CosignSignature"));
  const signed = (kind: string, matches: (subject: string) => boolean) =>
    signatures.some((s) => s.props.kind === kind && typeof s.props.subject === "string" && matches(s.props.subject));
  const problems: { message: string; resource: SigningSubject }[] = [];

  const indexes = new Set<string>();
  for (const tag of resources.filter((r) => isSlipway(r, "RegistryTag"))) {
    const { registry, repository, digest } = tag.props;
    if (typeof registry !== "string" || typeof repository !== "string" || typeof digest !== "string") continue;
    const index = `${registry}/${repository}@${digest}`;
    if (indexes.has(index)) continue;
    indexes.add(index);
    if (!signed("image", (subject) => subject === index)) {
      problems.push({ message: `${tag.name}: the index ${index} would go out unsigned (no cosign image signature of it)`, resource: tag });
    }
  }

  const checksumFiles = new Set(
    resources
      .filter((r) => isSlipway(r, "GoBuild"))
      .flatMap((r) => (typeof r.props.checksumsFile === "string" ? [r.props.checksumsFile] : [])),
  );
  const publications = resources.flatMap((r) => {
    if (isSlipway(r, "GithubReleaseAsset")) return typeof r.props.name === "string" ? [{ resource: r, names: [r.props.name] }] : [];
    if (isSlipway(r, "LocalRelease")) {
      const names = list(r.props.files).flatMap((f) => {
        const name = record(f)?.name;
        return typeof name === "string" ? [name] : [];
      });
      return [{ resource: r, names }];
    }
    return [];
  });
  const published = new Set(publications.flatMap((p) => p.names));
  for (const file of checksumFiles) {
    const publication = publications.find((p) => p.names.includes(file));
    if (publication === undefined) continue;
    const bundle = checksumsBundleName(file);
    if (!published.has(bundle)) {
      problems.push({
        message: `${publication.resource.name}: ${file} would go out unsigned (${bundle} is not published beside it)`,
        resource: publication.resource,
      });
    }
    if (!signed("blob", (subject) => subject === file || subject.endsWith(`/${file}`))) {
      problems.push({
        message: `${publication.resource.name}: ${file} would go out unsigned (no cosign blob signature of it)`,
        resource: publication.resource,
      });
    }
  }
  return problems;
}

export const releaseSignedWhenSigning: StackValidationPolicy = {
  name: "release-signed-when-signing",
  description: "With slipway:signing on, every published image index and the published checksums file are signed.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateStack: (args, report) => {
    for (const problem of unsignedReleaseProblems(args.resources)) {
      report(`${problem.message}; slipway:signing is on, so the release must be signed`, problem.resource.urn);
    }
  },
};
