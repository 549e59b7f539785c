import type * as Aws from "@pulumi/aws";
import { aws } from "../providers/awsModule";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { SlipwayInputError } from "../plan/errors";
import {
  BUILD_CACHE_TAG,
  DEFAULT_CACHE_EXPIRY_DAYS,
  DEFAULT_UNTAGGED_EXPIRY_DAYS,
  ExclusionFilter,
  LoopbackBinding,
  cacheLifecyclePolicyDocument,
  checkPinnedImage,
  checkRepositoryName,
  lifecyclePolicyDocument,
  localRegistryBinding,
  planExclusionFilters,
  policyJson,
  registryHost,
  repositoryPolicyDocument,
  repositoryUrl,
} from "../plan/registry";
import { RegistrySettings } from "../plan/stackConfig";

/** A registry login in the shape `@pulumi/docker-build`'s `Image.registries` takes. */
export interface RegistryCredentials {
  readonly address: string;
  readonly username: string;
  readonly password: string;
}

export interface ContainerRegistryArgs {
  /** The registry, as parsed from `slipway:registries[i]`. Required. */
  readonly settings: RegistrySettings;
  /** Repository name inside the registry, e.g. `hello` or `acme/hello`. Required. */
  readonly repositoryName: string;
  /** Login password or token, a secret; external registries only, where it is required. Defaults to none. */
  readonly password?: pulumi.Input<string>;
  /** IAM principal ARNs allowed to push (and read); ECR only. Defaults to none (no repository policy unless pullPrincipals). */
  readonly pushPrincipals?: readonly string[];
  /** IAM principal ARNs allowed to pull; ECR only. Defaults to none (no repository policy unless pushPrincipals). */
  readonly pullPrincipals?: readonly string[];
  /** Floating tag names the plan may move (`Object.keys(plan.floating)`): mutable in ECR. Defaults to none. */
  readonly floatingTags?: readonly string[];
  /** Repository of the BuildKit cache beside the image's (ECR: declared, mutable, expiring). Defaults to none (no cache repository). */
  readonly cacheRepositoryName?: string;
  /** ECR: days after push when untagged manifests expire. Defaults to 14. */
  readonly untaggedExpiryDays?: number;
  /** ECR: days after push when build-cache images expire. Defaults to 30. */
  readonly cacheExpiryDays?: number;
  /** ECR: KMS key ARN that encrypts the repository. Defaults to AES256 (ECR-managed keys). */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Local only: run the registry as a container bound to the loopback address. Defaults to false (a registry already running). */
  readonly runLocalRegistryContainer?: boolean;
  /**
   * Local only, required with `runLocalRegistryContainer`: a CNCF distribution registry image (listens on
   * 5000, stores under /var/lib/registry) from a registry of your own, pinned by digest. Defaults to none.
   */
  readonly localRegistryImage?: string;
}

/** What one kind of registry declares and exposes. */
interface Declared {
  readonly repositoryUrl: pulumi.Output<string>;
  readonly cacheRepositoryUrl: pulumi.Output<string | undefined>;
  readonly address: pulumi.Output<string>;
  readonly credentials: pulumi.Output<RegistryCredentials | undefined>;
  readonly repository?: Aws.ecr.Repository;
  readonly lifecyclePolicy?: Aws.ecr.LifecyclePolicy;
  readonly repositoryPolicy?: Aws.ecr.RepositoryPolicy;
  readonly cacheRepository?: Aws.ecr.Repository;
  readonly container?: docker.Container;
}

/** The checked arguments, per kind: everything decided before anything is registered. */
type Resolved =
  | {
      readonly kind: "ecr";
      readonly region: string | undefined;
      readonly repositoryName: string;
      readonly filters: readonly ExclusionFilter[];
      readonly lifecyclePolicy: string;
      readonly cache: { readonly repositoryName: string; readonly lifecyclePolicy: string } | undefined;
      readonly accessPolicy: string | undefined;
      readonly kmsKeyArn: pulumi.Input<string> | undefined;
    }
  | {
      readonly kind: "external";
      readonly url: string;
      readonly cacheUrl: string | undefined;
      readonly host: string;
      readonly username: string;
      readonly password: pulumi.Input<string>;
    }
  | {
      readonly kind: "local";
      readonly url: string;
      readonly cacheUrl: string | undefined;
      readonly host: string;
      readonly container: { readonly binding: LoopbackBinding; readonly image: string } | undefined;
    };

/** Checks the arguments; throws {@link SlipwayInputError} for the first bad one. */
function resolve(args: ContainerRegistryArgs): Resolved {
  const settings = args.settings;
  const key = `registries.${settings.name}`;
  rejectOptionsOfOtherKinds(args, key);
  switch (settings.kind) {
    case "ecr": {
      const lifecycle = lifecyclePolicyDocument(args.untaggedExpiryDays ?? DEFAULT_UNTAGGED_EXPIRY_DAYS, key);
      const cacheLifecycle = cacheLifecyclePolicyDocument(args.cacheExpiryDays ?? DEFAULT_CACHE_EXPIRY_DAYS, key);
      const access = repositoryPolicyDocument(args.pushPrincipals ?? [], args.pullPrincipals ?? [], key);
      return {
        kind: "ecr",
        region: settings.region,
        repositoryName: checkRepositoryName(args.repositoryName, "ecr", "imageName"),
        filters: planExclusionFilters(args.floatingTags ?? [], key),
        lifecyclePolicy: policyJson(lifecycle),
        cache:
          args.cacheRepositoryName === undefined
            ? undefined
            : {
                repositoryName: checkRepositoryName(args.cacheRepositoryName, "ecr", "cacheRepository"),
                lifecyclePolicy: policyJson(cacheLifecycle),
              },
        accessPolicy: access === undefined ? undefined : policyJson(access),
        kmsKeyArn: args.kmsKeyArn,
      };
    }
    case "external": {
      const address = requireAddress(settings, key);
      const url = repositoryUrl(address, checkRepositoryName(args.repositoryName, "oci", "imageName"));
      const username = settings.username;
      if (username === undefined || username === "") {
        throw new SlipwayInputError(
          `${key}.username`,
          username,
          "an external registry needs a login user",
          "set the user the token belongs to",
        );
      }
      if (args.password === undefined) {
        const secret = settings.passwordSecret ?? "registryToken";
        throw new SlipwayInputError(
          secret,
          undefined,
          `the external registry ${address} needs a password or token`,
          `pass the secret setting's value as password, i.e. new pulumi.Config("slipway").requireSecret("${secret}")`,
        );
      }
      return { kind: "external", url, cacheUrl: cacheUrl(address, args), host: registryHost(address), username, password: args.password };
    }
    case "local": {
      const address = requireAddress(settings, key);
      const url = repositoryUrl(address, checkRepositoryName(args.repositoryName, "oci", "imageName"));
      if (args.localRegistryImage !== undefined && args.runLocalRegistryContainer !== true) {
        throw new SlipwayInputError(
          `${key}.localRegistryImage`,
          args.localRegistryImage,
          "is used only to run the registry container",
          "set runLocalRegistryContainer: true, or remove localRegistryImage",
        );
      }
      const container =
        args.runLocalRegistryContainer === true
          ? {
              binding: localRegistryBinding(address, `${key}.address`),
              image: checkPinnedImage(args.localRegistryImage, `${key}.localRegistryImage`),
            }
          : undefined;
      return { kind: "local", url, cacheUrl: cacheUrl(address, args), host: registryHost(address), container };
    }
  }
}

/**
 * Where images of one registry go, with the same outputs for every kind: `ecr` declares the repository
 * (release tags immutable, scanned on push, encrypted, retained on destroy) with its lifecycle and access
 * policies; `external` (GHCR, Docker Hub, any OCI registry) declares nothing; `local` may run a registry
 * container on the loopback address.
 */
export class ContainerRegistry extends pulumi.ComponentResource {
  /** `<address>/<repository>`, e.g. `127.0.0.1:5000/hello`, `ghcr.io/acme/hello`, `<acct>.dkr.ecr.<region>.amazonaws.com/hello`. */
  public readonly repositoryUrl: pulumi.Output<string>;
  /** `<address>/<cacheRepositoryName>`, where the BuildKit cache goes; undefined without a cache repository. */
  public readonly cacheRepositoryUrl: pulumi.Output<string | undefined>;
  /** Registry `host[:port]`. */
  public readonly address: pulumi.Output<string>;
  /** Login for pushes (secret); undefined for an unauthenticated local registry. */
  public readonly credentials: pulumi.Output<RegistryCredentials | undefined>;
  /** ECR only. */
  public readonly repository: Aws.ecr.Repository | undefined;
  /** ECR only. */
  public readonly lifecyclePolicy: Aws.ecr.LifecyclePolicy | undefined;
  /** ECR with push or pull principals only. */
  public readonly repositoryPolicy: Aws.ecr.RepositoryPolicy | undefined;
  /** ECR with a cache repository only. */
  public readonly cacheRepository: Aws.ecr.Repository | undefined;
  /** Local with `runLocalRegistryContainer` only. */
  public readonly container: docker.Container | undefined;

  constructor(name: string, args: ContainerRegistryArgs, opts?: pulumi.ComponentResourceOptions) {
    // Checked before even the component is registered: a bad argument leaves nothing half-declared.
    const resolved = resolve(args);
    super("slipway:registry:ContainerRegistry", name, {}, opts);
    const declared =
      resolved.kind === "ecr"
        ? this.declareEcr(name, resolved)
        : resolved.kind === "external"
          ? declareExternal(resolved)
          : this.declareLocal(name, resolved);
    this.repositoryUrl = declared.repositoryUrl;
    this.cacheRepositoryUrl = declared.cacheRepositoryUrl;
    this.address = declared.address;
    this.credentials = declared.credentials;
    this.repository = declared.repository;
    this.lifecyclePolicy = declared.lifecyclePolicy;
    this.repositoryPolicy = declared.repositoryPolicy;
    this.cacheRepository = declared.cacheRepository;
    this.container = declared.container;
    this.registerOutputs({
      repositoryUrl: this.repositoryUrl,
      cacheRepositoryUrl: this.cacheRepositoryUrl,
      address: this.address,
      credentials: this.credentials,
    });
  }

  private declareEcr(name: string, ecr: Extract<Resolved, { kind: "ecr" }>): Declared {
    const repository = new aws.ecr.Repository(
      `${name}-repository`,
      {
        name: ecr.repositoryName,
        region: ecr.region,
        // ECR refuses IMMUTABLE_WITH_EXCLUSION without a filter: with no floating tags, every tag is immutable.
        imageTagMutability: ecr.filters.length === 0 ? "IMMUTABLE" : "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: ecr.filters.map((f) => ({ filter: f.filter, filterType: f.filterType })),
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [
          ecr.kmsKeyArn === undefined ? { encryptionType: "AES256" } : { encryptionType: "KMS", kmsKey: ecr.kmsKeyArn },
        ],
        // Never delete a repository that holds images, and let `pulumi destroy` forget it rather than delete
        // it: published images outlive the stack.
        forceDelete: false,
        tags: { "slipway:component": "registry" },
      },
      { parent: this, retainOnDelete: true },
    );
    const lifecyclePolicy = new aws.ecr.LifecyclePolicy(
      `${name}-lifecycle`,
      { repository: repository.name, region: ecr.region, policy: ecr.lifecyclePolicy },
      { parent: this },
    );
    const repositoryPolicy =
      ecr.accessPolicy === undefined
        ? undefined
        : new aws.ecr.RepositoryPolicy(
            `${name}-access`,
            { repository: repository.name, region: ecr.region, policy: ecr.accessPolicy },
            { parent: this },
          );
    const cacheRepository = ecr.cache === undefined ? undefined : this.declareEcrCache(name, ecr, ecr.cache);
    const address = repository.repositoryUrl.apply(registryHost);
    // A fresh token on every run; docker-build ignores password changes (notes §1.4), so nothing rebuilds.
    const token = aws.ecr.getAuthorizationTokenOutput({ registryId: repository.registryId, region: ecr.region }, { parent: this });
    const credentials = pulumi.secret(
      pulumi
        .all([address, token.userName, token.password])
        .apply(([host, username, password]): RegistryCredentials | undefined => ({ address: host, username, password })),
    );
    return {
      repositoryUrl: repository.repositoryUrl,
      cacheRepositoryUrl: cacheRepository === undefined ? pulumi.output(undefined) : cacheRepository.repositoryUrl,
      address,
      credentials,
      repository,
      lifecyclePolicy,
      repositoryPolicy,
      cacheRepository,
    };
  }

  /**
   * The build cache's own repository. Only BuildKit's tag moves; it holds no release, but keeps the release
   * repository's guarantees (scanned, encrypted, retained) so the policy pack reads every repository alike.
   */
  private declareEcrCache(
    name: string,
    ecr: Extract<Resolved, { kind: "ecr" }>,
    cache: { readonly repositoryName: string; readonly lifecyclePolicy: string },
  ): Aws.ecr.Repository {
    const repository = new aws.ecr.Repository(
      `${name}-cache-repository`,
      {
        name: cache.repositoryName,
        region: ecr.region,
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: [{ filter: `${BUILD_CACHE_TAG}-*`, filterType: "WILDCARD" }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfigurations: [
          ecr.kmsKeyArn === undefined ? { encryptionType: "AES256" } : { encryptionType: "KMS", kmsKey: ecr.kmsKeyArn },
        ],
        forceDelete: false,
        tags: { "slipway:component": "build-cache" },
      },
      { parent: this, retainOnDelete: true },
    );
    new aws.ecr.LifecyclePolicy(
      `${name}-cache-lifecycle`,
      { repository: repository.name, region: ecr.region, policy: cache.lifecyclePolicy },
      { parent: this },
    );
    return repository;
  }

  private declareLocal(name: string, local: Extract<Resolved, { kind: "local" }>): Declared {
    const common = {
      address: pulumi.output(local.host),
      credentials: pulumi.output<RegistryCredentials | undefined>(undefined),
      cacheRepositoryUrl: pulumi.output(local.cacheUrl),
    };
    if (local.container === undefined) return { ...common, repositoryUrl: pulumi.output(local.url) };

    const { binding, image: reference } = local.container;
    const image = new docker.RemoteImage(`${name}-registry-image`, { name: reference, keepLocally: true }, { parent: this });
    // The stored images are published artifacts: the volume outlives the container and `pulumi destroy`.
    const data = new docker.Volume(`${name}-registry-data`, {}, { parent: this, retainOnDelete: true });
    const container = new docker.Container(
      `${name}-registry`,
      {
        image: image.imageId,
        envs: ["REGISTRY_HTTP_ADDR=0.0.0.0:5000"],
        // Published on the loopback address only: never reachable from the network.
        ports: [{ internal: 5000, external: binding.port, ip: binding.ip }],
        mounts: [{ type: "volume", source: data.name, target: "/var/lib/registry" }],
        restart: "unless-stopped",
        mustRun: true,
      },
      { parent: this },
    );
    // Pushes wait for the running registry: the URL carries the container as a dependency.
    return { ...common, repositoryUrl: container.id.apply(() => local.url), container };
  }
}

function declareExternal(external: Extract<Resolved, { kind: "external" }>): Declared {
  const { host, username } = external;
  return {
    repositoryUrl: pulumi.output(external.url),
    cacheRepositoryUrl: pulumi.output(external.cacheUrl),
    address: pulumi.output(host),
    credentials: pulumi.secret(
      pulumi.output(external.password).apply((password): RegistryCredentials | undefined => ({ address: host, username, password })),
    ),
  };
}

function cacheUrl(address: string, args: ContainerRegistryArgs): string | undefined {
  return args.cacheRepositoryName === undefined
    ? undefined
    : repositoryUrl(address, checkRepositoryName(args.cacheRepositoryName, "oci", "cacheRepository"));
}

function requireAddress(settings: RegistrySettings, key: string): string {
  if (settings.address === undefined) {
    throw new SlipwayInputError(
      `${key}.address`,
      undefined,
      `a ${settings.kind} registry needs an address`,
      "e.g. ghcr.io/acme or 127.0.0.1:5000",
    );
  }
  return settings.address;
}

/** Options that belong to another kind of registry are mistakes, not silently ignored. */
function rejectOptionsOfOtherKinds(args: ContainerRegistryArgs, key: string): void {
  const kind = args.settings.kind;
  const only: readonly [keyof ContainerRegistryArgs, RegistrySettings["kind"]][] = [
    ["password", "external"],
    ["pushPrincipals", "ecr"],
    ["pullPrincipals", "ecr"],
    ["untaggedExpiryDays", "ecr"],
    ["cacheExpiryDays", "ecr"],
    ["kmsKeyArn", "ecr"],
    ["runLocalRegistryContainer", "local"],
    ["localRegistryImage", "local"],
  ];
  for (const [option, owner] of only) {
    const value = args[option];
    if (value !== undefined && owner !== kind) {
      throw new SlipwayInputError(
        `${key}.${option}`,
        option === "password" || option === "kmsKeyArn" ? "(value not shown)" : value,
        `applies to ${owner} registries only, and this one is ${kind}`,
        `remove ${option}`,
      );
    }
  }
}
