import { canonicalJson } from "./canonicalJson";
import { SlipwayInputError } from "./errors";
import { OCI_TAG } from "./tags";

// ECR's limits on tag-mutability exclusion filters (API_PutImageTagMutability, API_ImageTagMutabilityExclusionFilter):
// at most 5 filters, each 1-128 characters of [0-9a-zA-Z._*-] with at most 2 `*`, type WILDCARD.
export const ECR_MAX_EXCLUSION_FILTERS = 5;
export const ECR_FILTER_MAX_LENGTH = 128;
export const ECR_FILTER_MAX_WILDCARDS = 2;
const ECR_FILTER = /^[0-9a-zA-Z._*-]+$/;
/** The characters a tag may contain that an ECR filter can match, in the order witnesses are searched. */
const FILTER_ALPHABET = [..."0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ._-"];

/** The build cache's tag prefix inside its own repository: one tag per image platform (`<image>-cache:buildkit-linux-amd64`). */
export const BUILD_CACHE_TAG = "buildkit";
/** Untagged manifests: superseded build caches, and indexes pushed by digest but never tagged (a failed run). */
export const DEFAULT_UNTAGGED_EXPIRY_DAYS = 14;
export const DEFAULT_CACHE_EXPIRY_DAYS = 30;

export interface ExclusionFilter {
  readonly filter: string;
  readonly filterType: "WILDCARD";
}

/** True when the ECR WILDCARD `filter` matches `tag` (`*` stands for any run of characters, possibly empty). */
export function wildcardMatches(filter: string, tag: string): boolean {
  const pattern = filter
    .split("*")
    .map((part) => part.replace(/[.\\^$+?()[\]{}|/-]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`).test(tag);
}

// Release tags, the ones that must stay immutable: exact versions (`v1.2.3`, `1.2.3`, `1.2.3-rc.1`, build
// metadata sanitised to `-`) and commit tags (`sha-<hex>`). A deterministic automaton, so that whether a
// wildcard filter can match *any* release tag is decided exactly (a product search below), not by sampling.
type ReleaseTagState =
  "start" | "v" | "major" | "dot1" | "minor" | "dot2" | "patch" | "dash" | "suffix" | "s" | "sh" | "sha" | "shaDash" | "hex";

const RELEASE_TAG_ACCEPTS: ReadonlySet<ReleaseTagState> = new Set(["patch", "suffix", "hex"]);
const DIGIT = /^[0-9]$/;
const HEX = /^[0-9a-f]$/;
const TAG_CHAR = /^[A-Za-z0-9._-]$/;

function releaseTagStep(state: ReleaseTagState, c: string): ReleaseTagState | undefined {
  const digit = DIGIT.test(c);
  switch (state) {
    case "start":
      return c === "v" ? "v" : c === "s" ? "s" : digit ? "major" : undefined;
    case "v":
      return digit ? "major" : undefined;
    case "major":
      return digit ? "major" : c === "." ? "dot1" : undefined;
    case "dot1":
      return digit ? "minor" : undefined;
    case "minor":
      return digit ? "minor" : c === "." ? "dot2" : undefined;
    case "dot2":
      return digit ? "patch" : undefined;
    case "patch":
      return digit ? "patch" : c === "-" ? "dash" : undefined;
    case "dash":
    case "suffix":
      return TAG_CHAR.test(c) ? "suffix" : undefined;
    case "s":
      return c === "h" ? "sh" : undefined;
    case "sh":
      return c === "a" ? "sha" : undefined;
    case "sha":
      return c === "-" ? "shaDash" : undefined;
    case "shaDash":
    case "hex":
      return HEX.test(c) ? "hex" : undefined;
  }
}

/**
 * A release tag (exact version such as `v1.2.3`/`1.2.3`, or commit tag `sha-…`) that `filter` matches, or
 * undefined when it matches none. Breadth-first over (position in filter, automaton state), so the answer
 * is exact and the example short and deterministic.
 */
export function releaseTagMatchedBy(filter: string): string | undefined {
  interface Node {
    readonly at: number;
    readonly state: ReleaseTagState;
    readonly text: string;
  }
  const seen = new Set<string>();
  const queue: Node[] = [{ at: 0, state: "start", text: "" }];
  const visit = (node: Node): void => {
    const id = `${node.at}:${node.state}`;
    if (!seen.has(id)) {
      seen.add(id);
      queue.push(node);
    }
  };
  for (let head = 0; head < queue.length; head++) {
    const { at, state, text } = queue[head] as Node;
    if (at === filter.length) {
      if (RELEASE_TAG_ACCEPTS.has(state)) return text;
      continue;
    }
    const c = filter[at] as string;
    if (c === "*") {
      visit({ at: at + 1, state, text });
      for (const x of FILTER_ALPHABET) {
        const next = releaseTagStep(state, x);
        if (next !== undefined) visit({ at, state: next, text: text + x });
      }
    } else {
      const next = releaseTagStep(state, c);
      if (next !== undefined) visit({ at: at + 1, state: next, text: text + c });
    }
  }
  return undefined;
}

/** Why `filter` is not a valid ECR exclusion filter, or undefined when it is. */
export function exclusionFilterProblem(filter: string): string | undefined {
  if (filter.length === 0 || filter.length > ECR_FILTER_MAX_LENGTH) {
    return `an ECR exclusion filter has 1 to ${ECR_FILTER_MAX_LENGTH} characters, this one ${filter.length}`;
  }
  if (!ECR_FILTER.test(filter)) return "an ECR exclusion filter may contain only letters, digits and . _ - *";
  const wildcards = filter.split("*").length - 1;
  if (wildcards > ECR_FILTER_MAX_WILDCARDS) {
    return `an ECR exclusion filter has at most ${ECR_FILTER_MAX_WILDCARDS} wildcards, this one ${wildcards}`;
  }
  return undefined;
}

/**
 * The exclusion filters of an `IMMUTABLE_WITH_EXCLUSION` repository: each floating tag literally. Everything
 * else (exact versions, `sha-` tags) is immutable; the build cache lives in a repository of its own. The
 * filters follow the release being published: a release makes its own floating tags (`v1.4`, `v1`,
 * `latest`) mutable before it moves them (its tags depend on the repository), while lines it does not touch
 * stay immutable until a release of theirs. Sorted, so the same tags always give the same filters.
 */
export function planExclusionFilters(floatingTags: readonly string[], key: string): ExclusionFilter[] {
  const literal = new Set<string>();
  floatingTags.forEach((tag, index) => {
    if (typeof tag !== "string" || !OCI_TAG.test(tag) || exclusionFilterProblem(tag) !== undefined) {
      throw new SlipwayInputError(
        `${key}.floatingTags[${index}]`,
        tag,
        "not a tag",
        "pass the plan's floating tag names (the keys of plan.floating)",
      );
    }
    if (releaseTagMatchedBy(tag) !== undefined) {
      throw new SlipwayInputError(
        "tagTemplates",
        tag,
        "a floating tag that looks like an exact version or commit tag would make that release tag mutable",
        "give floating tags names that are not versions, e.g. v{{major}}.{{minor}} or latest",
      );
    }
    literal.add(tag);
  });
  const filters = [...literal].sort();
  if (filters.length > ECR_MAX_EXCLUSION_FILTERS) {
    throw new SlipwayInputError(
      "tagTemplates",
      filters,
      `an ECR repository takes at most ${ECR_MAX_EXCLUSION_FILTERS} mutable-tag filters, and these floating tags need ${filters.length}`,
      `keep at most ${ECR_MAX_EXCLUSION_FILTERS} floating tag templates (the defaults have 3: v{{major}}.{{minor}}, v{{major}}, latest)`,
    );
  }
  return filters.map((filter) => ({ filter, filterType: "WILDCARD" }));
}

export function checkExpiryDays(days: unknown, key: string): number {
  if (typeof days !== "number" || !Number.isSafeInteger(days) || days < 1) {
    throw new SlipwayInputError(key, days, "must be a whole number of days, at least 1", "e.g. 14");
  }
  return days;
}

export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection: {
    readonly tagStatus: "untagged" | "any";
    readonly countType: "sinceImagePushed";
    readonly countUnit: "days";
    readonly countNumber: number;
  };
  readonly action: { readonly type: "expire" };
}

export interface LifecyclePolicyDocument {
  readonly rules: readonly LifecycleRule[];
}

function expireAfter(tagStatus: LifecycleRule["selection"]["tagStatus"], days: number, description: string): LifecycleRule {
  return {
    rulePriority: 1,
    description,
    selection: { tagStatus, countType: "sinceImagePushed", countUnit: "days", countNumber: days },
    action: { type: "expire" },
  };
}

/**
 * The release repository's: untagged manifests expire N days after push; release tags match no rule and
 * never expire. Untagged platform manifests of a tagged index are safe: ECR does not delete an image that a
 * manifest list still references (failure code ImageReferencedByManifestList).
 */
export function lifecyclePolicyDocument(untaggedExpiryDays: number, key: string): LifecyclePolicyDocument {
  const days = checkExpiryDays(untaggedExpiryDays, `${key}.untaggedExpiryDays`);
  return { rules: [expireAfter("untagged", days, `Expire untagged manifests ${days} days after push`)] };
}

/** The build-cache repository's: everything in it, tagged or not, expires M days after push. */
export function cacheLifecyclePolicyDocument(cacheExpiryDays: number, key: string): LifecyclePolicyDocument {
  const days = checkExpiryDays(cacheExpiryDays, `${key}.cacheExpiryDays`);
  return { rules: [expireAfter("any", days, `Expire build-cache images ${days} days after push`)] };
}

/**
 * The repository the build cache goes to, beside the image's (`slipway:cacheRepository`): `<image>-cache`
 * by default, `none` for no cache. Never the image's own repository: users pull from that one, and its
 * tag list is the release's.
 */
export function planCacheRepository(value: string | undefined, imageName: string, ecr: boolean): string | undefined {
  if (value === "none") return undefined;
  const name = value ?? `${imageName}-cache`;
  checkRepositoryName(name, ecr ? "ecr" : "oci", "cacheRepository");
  if (name === imageName) {
    throw new SlipwayInputError(
      "cacheRepository",
      value,
      "is the image's own repository, whose tag list users read as the release's",
      `use a repository of its own, e.g. ${imageName}-cache, or none`,
    );
  }
  return name;
}

// Repository-level grants. Pushers also read: buildx checks which layers exist, and tags are copied from
// manifests. `ecr:GetAuthorizationToken` is not a repository action; it belongs in the principals' own IAM policies.
export const ECR_PULL_ACTIONS = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] as const;
export const ECR_PUSH_ACTIONS: readonly string[] = [
  ...ECR_PULL_ACTIONS,
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
].sort();

const IAM_PRINCIPAL_ARN =
  /^arn:aws(?:-cn|-us-gov|-iso|-iso-b|-iso-e|-iso-f|-eusc)?:iam::\d{12}:(?:root|(?:user|role)\/(?:[\w+=,.@-]+\/)*[\w+=,.@-]+)$/;

export function checkPrincipalArn(arn: unknown, key: string): string {
  if (typeof arn !== "string" || !IAM_PRINCIPAL_ARN.test(arn)) {
    throw new SlipwayInputError(
      key,
      arn,
      "not an IAM principal ARN (no wildcards, no account ids alone)",
      "use arn:aws:iam::<account>:role/<name>, …:user/<name> or …:root",
    );
  }
  return arn;
}

export interface PolicyStatement {
  readonly Sid: string;
  readonly Effect: "Allow";
  readonly Principal: { readonly AWS: readonly string[] };
  readonly Action: readonly string[];
}

export interface RepositoryPolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/**
 * Grants pushing (with reading) to `pushPrincipals` and reading to `pullPrincipals`, nobody else; undefined
 * when both are empty, so that access stays with the account's own IAM policies. Principals are
 * de-duplicated and sorted; a push principal is not repeated among the pullers.
 */
export function repositoryPolicyDocument(
  pushPrincipals: readonly string[],
  pullPrincipals: readonly string[],
  key: string,
): RepositoryPolicyDocument | undefined {
  const push = [...new Set(pushPrincipals.map((arn, i) => checkPrincipalArn(arn, `${key}.pushPrincipals[${i}]`)))].sort();
  const pull = [...new Set(pullPrincipals.map((arn, i) => checkPrincipalArn(arn, `${key}.pullPrincipals[${i}]`)))]
    .filter((arn) => !push.includes(arn))
    .sort();
  const statements: PolicyStatement[] = [];
  if (push.length > 0) statements.push({ Sid: "SlipwayPush", Effect: "Allow", Principal: { AWS: push }, Action: ECR_PUSH_ACTIONS });
  if (pull.length > 0) statements.push({ Sid: "SlipwayPull", Effect: "Allow", Principal: { AWS: pull }, Action: [...ECR_PULL_ACTIONS] });
  return statements.length === 0 ? undefined : { Version: "2012-10-17", Statement: statements };
}

/** A policy document as the JSON text a resource takes: keys sorted, two-space indent. */
export function policyJson(document: LifecyclePolicyDocument | RepositoryPolicyDocument): string {
  return canonicalJson(document);
}

const ECR_REPOSITORY_NAME = /^(?=.{2,256}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const OCI_PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
const OCI_REPOSITORY_NAME = new RegExp(`^${OCI_PATH_COMPONENT}(?:/${OCI_PATH_COMPONENT})*$`);

/** A repository name: the OCI distribution grammar, and ECR's stricter one (2-256 characters) for ECR. */
export function checkRepositoryName(name: unknown, kind: "ecr" | "oci", key: string): string {
  const pattern = kind === "ecr" ? ECR_REPOSITORY_NAME : OCI_REPOSITORY_NAME;
  if (typeof name !== "string" || !pattern.test(name)) {
    throw new SlipwayInputError(
      key,
      name,
      kind === "ecr" ? "not an ECR repository name" : "not a repository name",
      `use ${kind === "ecr" ? "2-256 " : ""}lowercase letters, digits and . _ - separated by /, e.g. acme/hello`,
    );
  }
  return name;
}

/** `host[:port]` of a registry address `host[:port][/namespace]`. */
export function registryHost(address: string): string {
  const slash = address.indexOf("/");
  return slash < 0 ? address : address.slice(0, slash);
}

/** Where a repository lives: `<address>/<repository>`, e.g. `ghcr.io/acme/hello`. */
export function repositoryUrl(address: string, repository: string): string {
  return `${address}/${repository}`;
}

export interface LoopbackBinding {
  /** Host address the published port is bound to: loopback only. */
  readonly ip: string;
  readonly port: number;
}

/** The loopback address and port a local registry container publishes, from an address such as `127.0.0.1:5000`. */
export function localRegistryBinding(address: string, key: string): LoopbackBinding {
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})$/.exec(registryHost(address));
  const port = match === null ? NaN : Number(match[2]);
  if (match === null || !(port >= 1 && port <= 65535)) {
    throw new SlipwayInputError(
      key,
      address,
      "a registry container run by slipway listens on loopback only, at an explicit port",
      "use an address such as 127.0.0.1:5000 or localhost:5000",
    );
  }
  return { ip: match[1] === "[::1]" ? "::1" : "127.0.0.1", port };
}

const DOCKER_HUB_HOSTS: ReadonlySet<string> = new Set(["docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"]);
const PINNED_IMAGE = /^([^/@\s]+)\/[^@\s]+@sha256:[0-9a-f]{64}$/;

/**
 * An image reference that names its registry and is pinned by digest, never from Docker Hub (an unqualified
 * name such as `registry:2` means Docker Hub).
 */
export function checkPinnedImage(reference: unknown, key: string): string {
  const fix = "mirror the image into a registry of your own and use <host>/<name>@sha256:<digest>";
  const match = typeof reference === "string" ? PINNED_IMAGE.exec(reference) : null;
  if (match === null) {
    throw new SlipwayInputError(key, reference, "images are named with their registry and pinned by digest", fix);
  }
  const host = match[1] as string;
  if (!/[.:]/.test(host) && host !== "localhost") {
    throw new SlipwayInputError(key, reference, `${host} is not a registry host, so the image would come from Docker Hub`, fix);
  }
  if (DOCKER_HUB_HOSTS.has(host.toLowerCase())) {
    throw new SlipwayInputError(key, reference, "images are not pulled from Docker Hub", fix);
  }
  return reference as string;
}
