// slipway's policies, with the helpers they are made of. The PolicyPack itself is constructed only in
// policy/index.ts: its constructor starts a gRPC server (docs/pulumi.md, "Policy packs"), so tests import this file.
//
// What @pulumi/policy 1.21 gives a policy, and therefore what these rules can see:
// - `props` are plain values: secrets arrive unwrapped (deserialize.js, proxySecrets = false), so no rule
//   can tell a secret input from a plaintext one by looking at it;
// - `opts` carries protect, ignoreChanges, deleteBeforeReplace, aliases, customTimeouts,
//   additionalSecretOutputs and parent, but NOT retainOnDelete (AnalyzerResourceOptions has no such field).
import { PolicyResource, ReportViolation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { releaseTagMatchedBy } from "../plan/registry";
import { Props, isDynamicType, list, record, strings } from "./props";
import { releaseSignedWhenSigning } from "./signing";

export { isDynamicType };

export const TYPES = {
  ecrRepository: "aws:ecr/repository:Repository",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  albLoadBalancer: "aws:alb/loadBalancer:LoadBalancer",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
  image: "docker-build:index:Image",
  index: "docker-build:index:Index",
} as const;

/** The tag by which slipway components mark what they declare; Athens uses `athens`. */
export const COMPONENT_TAG = "slipway:component";
export const ATHENS = "athens";

// --- (1) exact-version and sha- tags are immutable in every ECR repository -----------------------------

/**
 * What makes release tags mutable in an ECR repository's settings: a mutable mode, or an exclusion filter
 * that matches some exact version (`v1.2.3`, `1.2.3`) or `sha-` tag. Empty when release tags are immutable.
 */
export function ecrMutabilityProblems(props: Props): string[] {
  // The provider's default is MUTABLE.
  const mode = typeof props.imageTagMutability === "string" ? props.imageTagMutability : "MUTABLE";
  if (mode === "IMMUTABLE") return [];
  if (mode !== "IMMUTABLE_WITH_EXCLUSION") {
    return [
      `imageTagMutability is ${mode}, so published release tags can be overwritten; ` +
        "use IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION with filters for floating tags and cache refs only",
    ];
  }
  const problems: string[] = [];
  for (const entry of list(props.imageTagMutabilityExclusionFilters)) {
    const filter = record(entry)?.filter;
    if (typeof filter !== "string") continue;
    const witness = releaseTagMatchedBy(filter);
    if (witness !== undefined) {
      problems.push(
        `exclusion filter ${JSON.stringify(filter)} makes release tags such as ${witness} mutable; exclude floating tags and cache refs only`,
      );
    }
  }
  return problems;
}

export const ecrReleaseTagsImmutable: ResourceValidationPolicy = {
  name: "ecr-release-tags-immutable",
  description: "Exact-version (v1.2.3, 1.2.3) and sha- tags are immutable in every ECR repository.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (args.type !== TYPES.ecrRepository) return;
    for (const problem of ecrMutabilityProblems(args.props)) report(problem);
  },
};

// --- (2) scan on push ----------------------------------------------------------------------------------

export const ecrScanOnPush: ResourceValidationPolicy = {
  name: "ecr-scan-on-push",
  description: "Every ECR repository scans images on push.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    if (args.type !== TYPES.ecrRepository) return;
    if (record(args.props.imageScanningConfiguration)?.scanOnPush !== true) {
      report("imageScanningConfiguration.scanOnPush is not true; set imageScanningConfiguration: {scanOnPush: true}");
    }
  },
};

// --- (3) Athens is never internet-facing ---------------------------------------------------------------

/** A resource belongs to Athens when tagged `slipway:component = athens`, or named for Athens (logical or AWS name). */
export function isAthens(resource: { readonly name: string; readonly props: Props }): boolean {
  if (record(resource.props.tags)?.[COMPONENT_TAG] === ATHENS) return true;
  const names = [resource.name, resource.props.name, resource.props.namePrefix];
  return names.some((n) => typeof n === "string" && /athens/i.test(n));
}

/** CIDRs that admit every address: any prefix length 0 (`0.0.0.0/0`, `::/0`). */
export function openCidrs(cidrs: readonly string[]): string[] {
  return cidrs.filter((cidr) => /\/0+$/.test(cidr.trim()));
}

/** Open ingress CIDRs of a security group's inline rules, or of a standalone ingress rule resource. */
export function openIngress(type: string, props: Props): string[] {
  switch (type) {
    case TYPES.securityGroup:
      return list(props.ingress).flatMap((rule) =>
        openCidrs([...strings(record(rule)?.cidrBlocks), ...strings(record(rule)?.ipv6CidrBlocks)]),
      );
    case TYPES.securityGroupRule:
      return props.type === "ingress" ? openCidrs([...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks)]) : [];
    case TYPES.securityGroupIngressRule:
      return openCidrs(strings([props.cidrIpv4, props.cidrIpv6]));
    default:
      return [];
  }
}

const SECURITY_GROUP_TYPES: readonly string[] = [TYPES.securityGroup, TYPES.securityGroupRule, TYPES.securityGroupIngressRule];

export const athensNotInternetFacing: ResourceValidationPolicy = {
  name: "athens-not-internet-facing",
  description:
    "Athens is never internet-facing: every load balancer is internal, and no Athens security group (tagged slipway:component = athens, or named for Athens) admits 0.0.0.0/0 or ::/0.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (args.type === TYPES.loadBalancer || args.type === TYPES.albLoadBalancer) {
      if (args.props.internal !== true)
        report("load balancer is internet-facing; set internal: true (Athens serves build runners inside the VPC only)");
      return;
    }
    if (SECURITY_GROUP_TYPES.includes(args.type) && isAthens(args)) {
      for (const cidr of openIngress(args.type, args.props))
        report(`Athens ingress from ${cidr} admits the whole Internet; allow the build runners' CIDRs only`);
    }
  },
};

/**
 * Standalone ingress rules are not tagged or named for Athens when they belong to it; they are found
 * through the security group their `securityGroupId` depends on.
 */
export const athensSecurityGroupRulesNotOpen: StackValidationPolicy = {
  name: "athens-security-group-rules-not-open",
  description: "No standalone ingress rule of an Athens security group admits 0.0.0.0/0 or ::/0.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateStack: (args, report) => {
    for (const rule of args.resources) {
      if (rule.type !== TYPES.securityGroupRule && rule.type !== TYPES.securityGroupIngressRule) continue;
      const groups = (rule.propertyDependencies.securityGroupId ?? []).filter(
        (g: PolicyResource) => g.type === TYPES.securityGroup && isAthens(g),
      );
      if (groups.length === 0) continue;
      for (const cidr of openIngress(rule.type, rule.props)) {
        report(
          `${rule.name}: ingress from ${cidr} into Athens security group ${groups.map((g) => g.name).join(", ")} admits the whole Internet`,
          rule.urn,
        );
      }
    }
  },
};

// --- (4) no credential in plaintext --------------------------------------------------------------------

// Secretness is invisible to policies (see the header), so this rule checks the places where a credential
// ends up in plaintext whatever the program marked secret:
// - dynamic-provider resources: their outputs echo their inputs and are secret only if that input happened
//   to be secret, so credential-named inputs must be listed in additionalSecretOutputs (which policies see);
// - docker-build images: build args and labels are baked into the published image, readable by anyone who
//   can pull it (build secrets go in `secrets`);
// - ECS task definitions: `environment` values are plain text in the task definition (credentials go in
//   `secrets` with valueFrom, as Athens' token does).
// Not checked, because the providers' schemas mark those fields secret and Pulumi encrypts them in state
// whatever the program did: aws.secretsmanager.SecretVersion.secretString, github ActionsSecret.value,
// docker-build registry passwords. Stack outputs arrive unwrapped too; they are left to the components.

const CREDENTIAL_WORDS: ReadonlySet<string> = new Set([
  "password",
  "passwd",
  "passphrase",
  "secret",
  "token",
  "credential",
  "credentials",
  "apikey",
]);
const CREDENTIAL_PAIRS: readonly (readonly [string, string])[] = [
  ["api", "key"],
  ["private", "key"],
  ["access", "key"],
  ["client", "secret"],
];
/** Names of things about a credential that are not the credential itself: `secretName`, `TOKEN_FILE`, … */
const NOT_THE_CREDENTIAL: ReadonlySet<string> = new Set([
  "name",
  "names",
  "arn",
  "id",
  "ids",
  "url",
  "uri",
  "path",
  "file",
  "version",
  "generation",
  "setting",
  "ttl",
  "expiry",
  "expires",
  "at",
]);

function words(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, "$1_$2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== "");
}

/** True for property and variable names that hold a credential: `password`, `githubToken`, `ATHENS_GITHUB_TOKEN`, `apiKey`. */
export function isCredentialName(key: string): boolean {
  const w = words(key);
  const last = w[w.length - 1];
  if (last === undefined || NOT_THE_CREDENTIAL.has(last)) return false;
  if (w.some((word) => CREDENTIAL_WORDS.has(word))) return true;
  return CREDENTIAL_PAIRS.some(([a, b]) => w.some((word, i) => word === a && w[i + 1] === b));
}

function hasValue(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  const r = record(value);
  return r === undefined || Object.keys(r).length > 0;
}

/** Credential-named inputs of a dynamic resource that are not listed in additionalSecretOutputs. */
export function unsealedDynamicCredentials(props: Props, additionalSecretOutputs: readonly string[]): string[] {
  return Object.keys(props)
    .filter((key) => !key.startsWith("__") && isCredentialName(key) && hasValue(props[key]) && !additionalSecretOutputs.includes(key))
    .sort();
}

/** Credential-named environment variables with a value in an ECS `containerDefinitions` JSON document. */
export function plaintextTaskEnvironment(containerDefinitions: unknown): string[] {
  if (typeof containerDefinitions !== "string") return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(containerDefinitions);
  } catch {
    return [];
  }
  return list(parsed).flatMap((definition) => {
    const container = record(definition);
    const containerName = typeof container?.name === "string" ? container.name : "(unnamed)";
    return list(container?.environment)
      .map(record)
      .filter((variable) => typeof variable?.name === "string" && isCredentialName(variable.name) && hasValue(variable.value))
      .map((variable) => `${containerName}: ${String(variable?.name)}`);
  });
}

export const noPlaintextCredentials: ResourceValidationPolicy = {
  name: "no-plaintext-credentials",
  description:
    "No credential is stored in plaintext: dynamic resources list credential inputs in additionalSecretOutputs, images carry none in build args or labels, ECS tasks take none from plain environment.",
  enforcementLevel: "mandatory",
  severity: "critical",
  validateResource: (args, report) => {
    if (isDynamicType(args.type)) {
      for (const key of unsealedDynamicCredentials(args.props, args.opts.additionalSecretOutputs ?? [])) {
        report(`input ${key} is written to state in plaintext unless it is secret; list it in additionalSecretOutputs`);
      }
    } else if (args.type === TYPES.image) {
      for (const field of ["buildArgs", "labels"] as const) {
        for (const key of Object.keys(record(args.props[field]) ?? {})
          .filter(isCredentialName)
          .sort()) {
          report(`${field}.${key} is baked into the published image; pass credentials as build secrets (secrets) instead`);
        }
      }
    } else if (args.type === TYPES.taskDefinition) {
      for (const variable of plaintextTaskEnvironment(args.props.containerDefinitions)) {
        report(`environment ${variable} is plaintext in the task definition; move it to secrets with valueFrom (Secrets Manager)`);
      }
    }
  },
};

// --- (5) a prerelease never moves `latest` (nor any other floating tag) --------------------------------

/**
 * slipway's registry tags are dynamic resources whose inputs carry `tag`, `version`, `prerelease` and
 * either `kind: "floating"` or `mutable: true` for tags that move (providers/registryTag.ts).
 */
export function prereleaseTagProblem(type: string, props: Props): string | undefined {
  if (!isDynamicType(type) || typeof props.tag !== "string" || props.prerelease !== true) return undefined;
  const version = typeof props.version === "string" ? props.version : "(unknown version)";
  if (props.tag === "latest") return `latest would point at the prerelease ${version}; latest follows stable releases only`;
  if (props.kind === "floating" || props.mutable === true) {
    return `floating tag ${props.tag} would move to the prerelease ${version}; prereleases get exact tags only`;
  }
  return undefined;
}

export const prereleaseNeverMovesLatest: ResourceValidationPolicy = {
  name: "prerelease-never-moves-latest",
  description: "A prerelease never moves latest, nor any other floating tag.",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report) => {
    const problem = prereleaseTagProblem(args.type, args.props);
    if (problem !== undefined) report(problem);
  },
};

// --- (6) published images and release assets are retained on delete ------------------------------------

/** Whether a resource publishes something: pushed images and indexes, ECR repositories, slipway-published dynamic resources. */
export function isPublished(type: string, props: Props): boolean {
  switch (type) {
    case TYPES.image:
      return (
        props.push === true ||
        list(props.exports).some((entry) => {
          const e = record(entry);
          if (e === undefined || e.disabled === true) return false;
          // A registry export pushes unless told not to; an image export only when told to.
          return (record(e.registry) !== undefined && record(e.registry)?.push !== false) || record(e.image)?.push === true;
        })
      );
    case TYPES.index:
      return props.push !== false;
    case TYPES.ecrRepository:
      return true;
    default:
      return isDynamicType(type) && props.slipwayPublished === true;
  }
}

/** `retainOnDelete` as an analyzer that reports it would; @pulumi/policy 1.21 never does (see the header). */
type OptionsMaybeWithRetain = ResourceValidationArgs["opts"] & { readonly retainOnDelete?: boolean };

export const NOT_REPORTED_REASON =
  "retainOnDelete is not reported to policy packs (@pulumi/policy 1.21 AnalyzerResourceOptions has no such field); " +
  "slipway's components set it and their tests check it";

export const publishedArtifactsRetained: ResourceValidationPolicy = {
  name: "published-artifacts-retained",
  description:
    "Published images, indexes, registry tags, release assets and ECR repositories survive `pulumi destroy` (retainOnDelete, or protect; ECR repositories never forceDelete).",
  enforcementLevel: "mandatory",
  severity: "high",
  validateResource: (args, report: ReportViolation) => {
    if (!isPublished(args.type, args.props)) return;
    const opts = args.opts as OptionsMaybeWithRetain;
    if (args.type === TYPES.ecrRepository && args.props.forceDelete === true) {
      report(
        "forceDelete: true lets `pulumi destroy` delete the repository with every published image; set forceDelete: false and retainOnDelete: true",
      );
      return;
    }
    if (opts.retainOnDelete === true || opts.protect) return;
    if (opts.retainOnDelete === false) {
      report("published artifact without retainOnDelete: `pulumi destroy` would delete it; set retainOnDelete: true");
      return;
    }
    // Not reported by this analyzer. An ECR repository without forceDelete is safe either way: ECR refuses
    // to delete a repository that still holds images (RepositoryNotEmptyException).
    if (args.type === TYPES.ecrRepository) return;
    args.notApplicable(NOT_REPORTED_REASON);
  },
};

/** Every slipway policy, in the order they are reported. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  ecrReleaseTagsImmutable,
  ecrScanOnPush,
  athensNotInternetFacing,
  athensSecurityGroupRulesNotOpen,
  noPlaintextCredentials,
  prereleaseNeverMovesLatest,
  publishedArtifactsRetained,
  releaseSignedWhenSigning,
];
