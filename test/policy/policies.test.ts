// The policy pack's rules, called directly with hand-made arguments (never through a PolicyPack, whose
// constructor starts a gRPC server). What this cannot prove: the engine's unknown-value proxy during
// preview, and which resource options the engine really reports (retainOnDelete: none in 1.21).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";
import { planExclusionFilters } from "../../plan/registry";
import {
  NOT_REPORTED_REASON,
  TYPES,
  athensNotInternetFacing,
  athensSecurityGroupRulesNotOpen,
  ecrReleaseTagsImmutable,
  ecrScanOnPush,
  isCredentialName,
  isDynamicType,
  noPlaintextCredentials,
  policies,
  prereleaseNeverMovesLatest,
  publishedArtifactsRetained,
} from "../../policy/policies";

const DYNAMIC = "pulumi-nodejs:dynamic/slipway:RegistryTag";

/** What `args.notApplicable` throws here; the engine's analyzer records the reason instead. */
class NotApplicable extends Error {
  constructor(readonly reason: string | undefined) {
    super(`not applicable: ${reason ?? ""}`);
  }
}

type Options = Partial<PolicyResourceOptions> & { readonly retainOnDelete?: boolean };
type Props = Record<string, unknown>;

function options(opts: Options = {}): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...opts,
  };
}

function resourceArgs(type: string, props: Props, opts: Options = {}, name = "subject"): ResourceValidationArgs {
  const isType = (resourceClass: unknown): boolean => (resourceClass as { __pulumiType?: string }).__pulumiType === type;
  return {
    type,
    props,
    urn: `urn:pulumi:test::slipway::${type}::${name}`,
    name,
    opts: options(opts),
    stackTags: new Map(),
    isType,
    asType: <TResource extends pulumi.Resource, TArgs>(resourceClass: new (name: string, args: TArgs, ...rest: never[]) => TResource) =>
      isType(resourceClass) ? (props as pulumi.Unwrap<NonNullable<TArgs>>) : undefined,
    getConfig: <T extends object>() => ({}) as T,
    notApplicable: (reason?: string): never => {
      throw new NotApplicable(reason);
    },
  };
}

async function violations(
  policy: ResourceValidationPolicy,
  type: string,
  props: Props,
  opts: Options = {},
  name?: string,
): Promise<string[]> {
  const found: string[] = [];
  const validations =
    policy.validateResource === undefined
      ? []
      : Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
  assert.ok(validations.length > 0, `${policy.name} validates resources`);
  for (const validate of validations) await validate(resourceArgs(type, props, opts, name), (message) => found.push(message));
  return found;
}

function stackResource(
  type: string,
  name: string,
  props: Props,
  propertyDependencies: Record<string, PolicyResource[]> = {},
): PolicyResource {
  return {
    type,
    name,
    props,
    urn: `urn:pulumi:test::slipway::${type}::${name}`,
    opts: options(),
    dependencies: Object.values(propertyDependencies).flat(),
    propertyDependencies,
    isType: (resourceClass: unknown) => (resourceClass as { __pulumiType?: string }).__pulumiType === type,
    asType: () => undefined,
  };
}

async function stackViolations(
  policy: StackValidationPolicy,
  resources: PolicyResource[],
): Promise<{ message: string; urn: string | undefined }[]> {
  const found: { message: string; urn: string | undefined }[] = [];
  await policy.validateStack(
    {
      resources,
      stackTags: new Map(),
      getConfig: <T extends object>() => ({}) as T,
      notApplicable: (reason?: string): never => {
        throw new NotApplicable(reason);
      },
    },
    (message, urn) => found.push({ message, urn }),
  );
  return found;
}

describe("the policy set", () => {
  it("has unique names, all mandatory", () => {
    const names = policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(
      policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name),
      [],
    );
  });

  it("recognises dynamic resources with and without a module", () => {
    assert.equal(isDynamicType("pulumi-nodejs:dynamic:Resource"), true);
    assert.equal(isDynamicType(DYNAMIC), true);
    assert.equal(isDynamicType("pulumi-nodejs:dynamicx:Resource"), false);
    assert.equal(isDynamicType(TYPES.image), false);
  });
});

describe("ecr-release-tags-immutable", () => {
  const ok: readonly [string, Props][] = [
    ["IMMUTABLE", { imageTagMutability: "IMMUTABLE" }],
    [
      "IMMUTABLE_WITH_EXCLUSION for floating tags and the build cache's tag",
      {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: ["buildkit", "latest", "v1", "v1.4"].map((filter) => ({ filter, filterType: "WILDCARD" })),
      },
    ],
    [
      "the filters ContainerRegistry plans",
      {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: planExclusionFilters(["v2.0", "v2", "latest"], "registries.ecr"),
      },
    ],
  ];
  for (const [title, props] of ok) {
    it(`passes ${title}`, async () => assert.deepEqual(await violations(ecrReleaseTagsImmutable, TYPES.ecrRepository, props), []));
  }

  const bad: readonly [string, Props, readonly string[]][] = [
    [
      "no mode (the provider's default is MUTABLE)",
      {},
      [
        "imageTagMutability is MUTABLE, so published release tags can be overwritten; use IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION with filters for floating tags and cache refs only",
      ],
    ],
    [
      "MUTABLE_WITH_EXCLUSION",
      { imageTagMutability: "MUTABLE_WITH_EXCLUSION", imageTagMutabilityExclusionFilters: [{ filter: "v*", filterType: "WILDCARD" }] },
      [
        "imageTagMutability is MUTABLE_WITH_EXCLUSION, so published release tags can be overwritten; use IMMUTABLE, or IMMUTABLE_WITH_EXCLUSION with filters for floating tags and cache refs only",
      ],
    ],
    [
      "filters that match versions and commits",
      {
        imageTagMutability: "IMMUTABLE_WITH_EXCLUSION",
        imageTagMutabilityExclusionFilters: ["latest", "v*", "sha-*"].map((filter) => ({ filter, filterType: "WILDCARD" })),
      },
      [
        'exclusion filter "v*" makes release tags such as v0.0.0 mutable; exclude floating tags and cache refs only',
        'exclusion filter "sha-*" makes release tags such as sha-0 mutable; exclude floating tags and cache refs only',
      ],
    ],
  ];
  for (const [title, props, expected] of bad) {
    it(`fails ${title}`, async () => assert.deepEqual(await violations(ecrReleaseTagsImmutable, TYPES.ecrRepository, props), expected));
  }

  it("ignores other resource types", async () => {
    assert.deepEqual(
      await violations(ecrReleaseTagsImmutable, "aws:ecr/pullThroughCacheRule:PullThroughCacheRule", { imageTagMutability: "MUTABLE" }),
      [],
    );
  });
});

describe("ecr-scan-on-push", () => {
  it("passes a repository that scans on push", async () => {
    assert.deepEqual(await violations(ecrScanOnPush, TYPES.ecrRepository, { imageScanningConfiguration: { scanOnPush: true } }), []);
  });
  for (const [title, props] of [
    ["without scanning configuration", {}],
    ["with scanOnPush false", { imageScanningConfiguration: { scanOnPush: false } }],
  ] as const) {
    it(`fails a repository ${title}`, async () => {
      assert.deepEqual(await violations(ecrScanOnPush, TYPES.ecrRepository, props), [
        "imageScanningConfiguration.scanOnPush is not true; set imageScanningConfiguration: {scanOnPush: true}",
      ]);
    });
  }
});

describe("athens-not-internet-facing", () => {
  const athensTags = { "slipway:component": "athens" };
  const rows: readonly { title: string; type: string; props: Props; name?: string; count: number }[] = [
    { title: "an internal load balancer passes", type: TYPES.loadBalancer, props: { internal: true }, count: 0 },
    { title: "an internet-facing load balancer fails", type: TYPES.loadBalancer, props: { internal: false }, count: 1 },
    { title: "a load balancer without `internal` fails (AWS defaults to internet-facing)", type: TYPES.loadBalancer, props: {}, count: 1 },
    { title: "an internet-facing alb-module load balancer fails", type: TYPES.albLoadBalancer, props: { internal: false }, count: 1 },
    {
      title: "an Athens security group open to runners passes",
      type: TYPES.securityGroup,
      props: { tags: athensTags, ingress: [{ cidrBlocks: ["10.20.0.0/16"] }] },
      count: 0,
    },
    {
      title: "an Athens security group open to 0.0.0.0/0 fails",
      type: TYPES.securityGroup,
      props: { tags: athensTags, ingress: [{ cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] }] },
      count: 1,
    },
    {
      title: "an Athens security group open to ::/0 fails",
      type: TYPES.securityGroup,
      props: { tags: athensTags, ingress: [{ ipv6CidrBlocks: ["::/0"] }] },
      count: 1,
    },
    {
      title: "a security group named for Athens, untagged, fails when open",
      type: TYPES.securityGroup,
      props: { ingress: [{ cidrBlocks: ["0.0.0.0/0"] }] },
      name: "athens-lb-sg",
      count: 1,
    },
    {
      title: "another component's open security group is not Athens' business",
      type: TYPES.securityGroup,
      props: { tags: { "slipway:component": "web" }, ingress: [{ cidrBlocks: ["0.0.0.0/0"] }] },
      count: 0,
    },
    {
      title: "open egress from Athens passes",
      type: TYPES.securityGroup,
      props: { tags: athensTags, egress: [{ cidrBlocks: ["0.0.0.0/0"] }] },
      count: 0,
    },
    {
      title: "an Athens ingress rule from 0.0.0.0/0 fails",
      type: TYPES.securityGroupIngressRule,
      props: { tags: athensTags, cidrIpv4: "0.0.0.0/0" },
      count: 1,
    },
    {
      title: "an Athens classic ingress rule from ::/0 fails",
      type: TYPES.securityGroupRule,
      props: { type: "ingress", ipv6CidrBlocks: ["::/0"] },
      name: "athens-open",
      count: 1,
    },
    {
      title: "an Athens classic egress rule to 0.0.0.0/0 passes",
      type: TYPES.securityGroupRule,
      props: { type: "egress", cidrBlocks: ["0.0.0.0/0"] },
      name: "athens-out",
      count: 0,
    },
  ];
  for (const row of rows) {
    it(row.title, async () => {
      const found = await violations(athensNotInternetFacing, row.type, row.props, {}, row.name);
      assert.equal(found.length, row.count, found.join("; "));
    });
  }

  it("names the open CIDR", async () => {
    assert.deepEqual(await violations(athensNotInternetFacing, TYPES.securityGroupIngressRule, { tags: athensTags, cidrIpv6: "::/0" }), [
      "Athens ingress from ::/0 admits the whole Internet; allow the build runners' CIDRs only",
    ]);
  });
});

describe("athens-security-group-rules-not-open", () => {
  const athensGroup = stackResource(TYPES.securityGroup, "proxy-lb-sg", { tags: { "slipway:component": "athens" } });
  const otherGroup = stackResource(TYPES.securityGroup, "web-sg", { tags: { "slipway:component": "web" } });

  it("fails an untagged rule that opens an Athens security group, reporting the rule's URN", async () => {
    const rule = stackResource(
      TYPES.securityGroupIngressRule,
      "proxy-lb-in-any",
      { cidrIpv4: "0.0.0.0/0" },
      { securityGroupId: [athensGroup] },
    );
    assert.deepEqual(await stackViolations(athensSecurityGroupRulesNotOpen, [athensGroup, rule]), [
      {
        message: "proxy-lb-in-any: ingress from 0.0.0.0/0 into Athens security group proxy-lb-sg admits the whole Internet",
        urn: rule.urn,
      },
    ]);
  });

  it("passes rules from runner CIDRs or other groups, and open rules of other components", async () => {
    const resources = [
      athensGroup,
      otherGroup,
      stackResource(
        TYPES.securityGroupIngressRule,
        "proxy-lb-in-runners",
        { cidrIpv4: "10.20.0.0/16" },
        { securityGroupId: [athensGroup] },
      ),
      stackResource(
        TYPES.securityGroupIngressRule,
        "proxy-tasks-in-lb",
        { referencedSecurityGroupId: "sg-123" },
        { securityGroupId: [athensGroup] },
      ),
      stackResource(
        TYPES.securityGroupRule,
        "web-in-any",
        { type: "ingress", cidrBlocks: ["0.0.0.0/0"] },
        { securityGroupId: [otherGroup] },
      ),
    ];
    assert.deepEqual(await stackViolations(athensSecurityGroupRulesNotOpen, resources), []);
  });
});

describe("no-plaintext-credentials", () => {
  const names: readonly [string, boolean][] = [
    ["password", true],
    ["token", true],
    ["githubToken", true],
    ["credentials", true],
    ["ATHENS_GITHUB_TOKEN", true],
    ["apiKey", true],
    ["AWS_SECRET_ACCESS_KEY", true],
    ["privateKey", true],
    ["secretName", false],
    ["tokenSecretArn", false],
    ["ATHENS_NETRC_PATH", false],
    ["GITHUB_TOKEN_FILE", false],
    ["rotationKey", false],
    ["tag", false],
    ["keepLocally", false],
  ];
  for (const [name, credential] of names) {
    it(`${name} ${credential ? "is" : "is not"} a credential name`, () => assert.equal(isCredentialName(name), credential));
  }

  it("passes a dynamic resource that seals its credential inputs", async () => {
    const props = { tag: "v1.4.0", credentials: { username: "AWS", password: "p" }, token: "t" };
    assert.deepEqual(await violations(noPlaintextCredentials, DYNAMIC, props, { additionalSecretOutputs: ["credentials", "token"] }), []);
  });

  it("passes a dynamic resource whose credential input is unset", async () => {
    assert.deepEqual(await violations(noPlaintextCredentials, DYNAMIC, { tag: "v1.4.0", credentials: undefined }), []);
  });

  it("fails a dynamic resource with an unsealed token", async () => {
    assert.deepEqual(
      await violations(
        noPlaintextCredentials,
        "pulumi-nodejs:dynamic:Resource",
        { token: "ghp_x", owner: "acme" },
        { additionalSecretOutputs: ["other"] },
      ),
      ["input token is written to state in plaintext unless it is secret; list it in additionalSecretOutputs"],
    );
  });

  it("passes an image whose build args carry no credential", async () => {
    assert.deepEqual(
      await violations(noPlaintextCredentials, TYPES.image, { buildArgs: { VERSION: "1.4.0", SOURCE_DATE_EPOCH: "0" } }),
      [],
    );
  });

  it("fails an image with a token in its build args", async () => {
    assert.deepEqual(await violations(noPlaintextCredentials, TYPES.image, { buildArgs: { VERSION: "1.4.0", GITHUB_TOKEN: "ghp_x" } }), [
      "buildArgs.GITHUB_TOKEN is baked into the published image; pass credentials as build secrets (secrets) instead",
    ]);
  });

  const definitions = (environment: readonly { name: string; value: string }[]) =>
    JSON.stringify([
      {
        name: "athens",
        environment,
        secrets: [{ name: "ATHENS_GITHUB_TOKEN", valueFrom: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:gh" }],
      },
    ]);

  it("passes a task whose token comes from secrets", async () => {
    const props = {
      containerDefinitions: definitions([
        { name: "ATHENS_STORAGE_TYPE", value: "s3" },
        { name: "ATHENS_NETRC_PATH", value: "/run/netrc" },
      ]),
    };
    assert.deepEqual(await violations(noPlaintextCredentials, TYPES.taskDefinition, props), []);
  });

  it("fails a task with a token in plain environment", async () => {
    const props = { containerDefinitions: definitions([{ name: "ATHENS_GITHUB_TOKEN", value: "ghp_x" }]) };
    assert.deepEqual(await violations(noPlaintextCredentials, TYPES.taskDefinition, props), [
      "environment athens: ATHENS_GITHUB_TOKEN is plaintext in the task definition; move it to secrets with valueFrom (Secrets Manager)",
    ]);
  });
});

describe("prerelease-never-moves-latest", () => {
  const tag = (over: Props): Props => ({
    registry: "ghcr.io",
    repository: "acme/hello",
    tag: "v1.5.0-rc.1",
    version: "1.5.0-rc.1",
    prerelease: true,
    mutable: false,
    ...over,
  });
  const rows: readonly [string, string, Props, string | undefined][] = [
    ["a prerelease's exact tag passes", DYNAMIC, tag({}), undefined],
    [
      "a stable release moving latest passes",
      DYNAMIC,
      tag({ tag: "latest", version: "1.5.0", prerelease: false, mutable: true }),
      undefined,
    ],
    [
      "a prerelease at latest fails",
      DYNAMIC,
      tag({ tag: "latest", mutable: true }),
      "latest would point at the prerelease 1.5.0-rc.1; latest follows stable releases only",
    ],
    [
      "a prerelease at latest fails even when marked immutable",
      "pulumi-nodejs:dynamic:Resource",
      tag({ tag: "latest" }),
      "latest would point at the prerelease 1.5.0-rc.1; latest follows stable releases only",
    ],
    [
      "a prerelease moving a floating tag (kind) fails",
      "pulumi-nodejs:dynamic:Resource",
      tag({ tag: "v1", kind: "floating", mutable: undefined }),
      "floating tag v1 would move to the prerelease 1.5.0-rc.1; prereleases get exact tags only",
    ],
    [
      "a prerelease moving a floating tag (mutable) fails",
      DYNAMIC,
      tag({ tag: "v1.5", mutable: true }),
      "floating tag v1.5 would move to the prerelease 1.5.0-rc.1; prereleases get exact tags only",
    ],
    ["other resource types are not registry tags", "aws:ssm/parameter:Parameter", tag({ tag: "latest" }), undefined],
  ];
  for (const [title, type, props, message] of rows) {
    it(title, async () =>
      assert.deepEqual(await violations(prereleaseNeverMovesLatest, type, props), message === undefined ? [] : [message]),
    );
  }
});

describe("published-artifacts-retained", () => {
  const pushed = { push: true, tags: ["ghcr.io/acme/hello:v1.4.0"] };
  const byExport = { push: false, exports: [{ registry: { names: ["ghcr.io/acme/hello"], pushByDigest: true } }] };
  const violation = "published artifact without retainOnDelete: `pulumi destroy` would delete it; set retainOnDelete: true";

  const retained: readonly [string, string, Props, Options][] = [
    ["a pushed image with retainOnDelete", TYPES.image, pushed, { retainOnDelete: true }],
    ["an image pushed by a registry export, protected", TYPES.image, byExport, { protect: true }],
    ["an index with retainOnDelete", TYPES.index, { tag: "ghcr.io/acme/hello:v1.4.0", sources: [] }, { retainOnDelete: true }],
    ["a published dynamic resource with retainOnDelete", DYNAMIC, { slipwayPublished: true }, { retainOnDelete: true }],
    ["an ECR repository that refuses to delete images", TYPES.ecrRepository, { forceDelete: false }, {}],
    ["an image that is only built", TYPES.image, { push: false, exports: [{ cacheonly: {} }] }, { retainOnDelete: false }],
    [
      "an image whose registry export is disabled",
      TYPES.image,
      { push: false, exports: [{ registry: { names: ["x"] }, disabled: true }] },
      { retainOnDelete: false },
    ],
    ["an index that is not pushed", TYPES.index, { push: false }, { retainOnDelete: false }],
    ["an unpublished dynamic resource", DYNAMIC, { slipwayPublished: false }, { retainOnDelete: false }],
  ];
  for (const [title, type, props, opts] of retained) {
    it(`passes ${title}`, async () => assert.deepEqual(await violations(publishedArtifactsRetained, type, props, opts), []));
  }

  const deleted: readonly [string, string, Props][] = [
    ["a pushed image", TYPES.image, pushed],
    ["an image pushed by a registry export", TYPES.image, byExport],
    ["an index (pushed by default)", TYPES.index, { tag: "ghcr.io/acme/hello:v1.4.0" }],
    ["a published dynamic resource", "pulumi-nodejs:dynamic:Resource", { slipwayPublished: true }],
  ];
  for (const [title, type, props] of deleted) {
    it(`fails ${title} with retainOnDelete false`, async () =>
      assert.deepEqual(await violations(publishedArtifactsRetained, type, props, { retainOnDelete: false }), [violation]));
  }

  it("fails an ECR repository that force-deletes its images", async () => {
    assert.deepEqual(await violations(publishedArtifactsRetained, TYPES.ecrRepository, { forceDelete: true }, { retainOnDelete: true }), [
      "forceDelete: true lets `pulumi destroy` delete the repository with every published image; set forceDelete: false and retainOnDelete: true",
    ]);
  });

  it("says it cannot decide when the analyzer does not report retainOnDelete (as in @pulumi/policy 1.21)", async () => {
    await assert.rejects(
      violations(publishedArtifactsRetained, TYPES.image, pushed, {}),
      (error: unknown) => error instanceof NotApplicable && error.reason === NOT_REPORTED_REASON,
    );
  });
});
