// ContainerRegistry against Pulumi mocks. What mocks cannot prove: that ECR or Docker accept these inputs
// (limits come from the ECR API reference, see plan/registry.ts), provider defaults, or that the engine
// honours retainOnDelete (options are observed through a transformation, which sees what the engine gets).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { ContainerRegistry, ContainerRegistryArgs } from "../../components/containerRegistry";
import { SlipwayInputError } from "../../plan/errors";
import { LifecyclePolicyDocument, RepositoryPolicyDocument } from "../../plan/registry";
import { RegistrySettings } from "../../plan/stackConfig";
import { Registration, recordRegistrations, settle, valueOf } from "../support/mocks";

const ACCOUNT = "111122223333";
const ECR_HOST = `${ACCOUNT}.dkr.ecr.eu-west-1.amazonaws.com`;
const PUSHER = "arn:aws:iam::111122223333:role/release-ci";
const PULLER = "arn:aws:iam::444455556666:root";
const KMS_KEY = "arn:aws:kms:eu-west-1:111122223333:key/0d1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";
const REGISTRY_IMAGE = `registry.acme.internal/mirror/registry@sha256:${"b".repeat(64)}`;
const TOKEN_ANSWERS: ReadonlyMap<string, Record<string, unknown>> = new Map([
  [
    "aws:ecr/getAuthorizationToken:getAuthorizationToken",
    {
      userName: "AWS",
      password: "ecr-token",
      authorizationToken: "QVdTOmVjci10b2tlbg==",
      proxyEndpoint: `https://${ECR_HOST}`,
      expiresAt: "2026-11-20T22:00:00Z",
      id: "eu-west-1",
      region: "eu-west-1",
    },
  ],
]);

const T = {
  component: "slipway:registry:ContainerRegistry",
  repository: "aws:ecr/repository:Repository",
  lifecycle: "aws:ecr/lifecyclePolicy:LifecyclePolicy",
  access: "aws:ecr/repositoryPolicy:RepositoryPolicy",
  remoteImage: "docker:index/remoteImage:RemoteImage",
  volume: "docker:index/volume:Volume",
  container: "docker:index/container:Container",
} as const;

const ECR: RegistrySettings = {
  name: "ecr",
  kind: "ecr",
  address: undefined,
  region: "eu-west-1",
  username: undefined,
  passwordSecret: undefined,
};
const GHCR: RegistrySettings = {
  name: "ghcr.io",
  kind: "external",
  address: "ghcr.io/acme",
  region: undefined,
  username: "bot",
  passwordSecret: "ghcrToken",
};
const LOCAL: RegistrySettings = {
  name: "local",
  kind: "local",
  address: "127.0.0.1:5000",
  region: undefined,
  username: undefined,
  passwordSecret: undefined,
};

function mockOutputs(registration: Registration): Record<string, unknown> {
  switch (registration.type) {
    case T.repository:
      return { repositoryUrl: `${ECR_HOST}/${String(registration.inputs.name)}`, registryId: ACCOUNT };
    case T.remoteImage:
      return { imageId: `sha256:${"c".repeat(64)}` };
    case T.volume:
      return { name: `${registration.name}-volume` };
    default:
      return {};
  }
}

interface Recorded {
  readonly type: string;
  readonly name: string;
  readonly retainOnDelete: boolean | undefined;
}

describe("ContainerRegistry", () => {
  let registrations: Registration[];
  const options: Recorded[] = [];

  before(async () => {
    registrations = await recordRegistrations({
      invokes: TOKEN_ANSWERS,
      outputs: mockOutputs,
    });
  });

  /** Declares a registry whose children's options are recorded, and waits for every registration. */
  async function declare(name: string, args: ContainerRegistryArgs): Promise<{ registry: ContainerRegistry; children: Registration[] }> {
    const registry = new ContainerRegistry(name, args, {
      transformations: [
        (t) => {
          options.push({ type: t.type, name: t.name, retainOnDelete: t.opts.retainOnDelete });
          return undefined;
        },
      ],
    });
    await settle();
    return { registry, children: ofComponent(name) };
  }

  function ofComponent(name: string): Registration[] {
    return registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
  }

  /** Type and name of every registration, sorted; compare with a list in any order. */
  function shape(children: readonly Registration[]): string[] {
    return children.map((r) => `${r.type} ${r.name}`).sort();
  }

  function sorted(list: readonly string[]): string[] {
    return [...list].sort();
  }

  function only(children: readonly Registration[], type: string): Registration {
    const found = children.filter((r) => r.type === type);
    assert.equal(found.length, 1, `exactly one ${type}`);
    return found[0] as Registration;
  }

  function retainOnDelete(name: string): boolean | undefined {
    const found = options.filter((o) => o.name === name);
    assert.equal(found.length, 1, `options of ${name} recorded once`);
    return found[0]?.retainOnDelete;
  }

  function refusesBeforeDeclaring(name: string, args: ContainerRegistryArgs, key: string, problem?: RegExp): void {
    assert.throws(
      () => new ContainerRegistry(name, args),
      (error: unknown) => error instanceof SlipwayInputError && error.key === key && (problem === undefined || problem.test(error.problem)),
    );
    assert.deepEqual(ofComponent(name), [], "nothing is registered, not even the component");
  }

  describe("ecr", () => {
    it("declares an immutable, scanned, KMS-encrypted repository with lifecycle and access policies", async () => {
      const { registry, children } = await declare("ecr-full", {
        settings: ECR,
        repositoryName: "hello",
        floatingTags: ["v1.4", "v1", "latest"],
        pushPrincipals: [PUSHER],
        pullPrincipals: [PULLER],
        kmsKeyArn: KMS_KEY,
        untaggedExpiryDays: 7,
        cacheExpiryDays: 21,
        cacheRepositoryName: "hello-cache",
      });
      assert.deepEqual(
        shape(children),
        sorted([
          `${T.access} ecr-full-access`,
          `${T.lifecycle} ecr-full-lifecycle`,
          `${T.repository} ecr-full-repository`,
          `${T.lifecycle} ecr-full-cache-lifecycle`,
          `${T.repository} ecr-full-cache-repository`,
          `${T.component} ecr-full`,
        ]),
      );

      const repository = children.find((c) => c.name === "ecr-full-repository")?.inputs ?? {};
      assert.equal(repository.name, "hello");
      assert.equal(repository.region, "eu-west-1");
      assert.equal(repository.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
      assert.deepEqual(repository.imageTagMutabilityExclusionFilters, [
        { filter: "latest", filterType: "WILDCARD" },
        { filter: "v1", filterType: "WILDCARD" },
        { filter: "v1.4", filterType: "WILDCARD" },
      ]);
      assert.deepEqual(repository.imageScanningConfiguration, { scanOnPush: true });
      assert.deepEqual(repository.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: KMS_KEY }]);
      assert.equal(repository.forceDelete, false);
      assert.equal(retainOnDelete("ecr-full-repository"), true);

      const lifecycles = children
        .filter((c) => c.type === T.lifecycle)
        .map((c) => c.inputs)
        .sort((a, b) => String(a.repository).localeCompare(String(b.repository)));
      assert.deepEqual(
        lifecycles.map((l) => [
          l.repository,
          l.region,
          ...(JSON.parse(l.policy as string) as LifecyclePolicyDocument).rules.map((r) => [r.selection.tagStatus, r.selection.countNumber]),
        ]),
        [
          ["hello", "eu-west-1", ["untagged", 7]],
          ["hello-cache", "eu-west-1", ["any", 21]],
        ],
      );
      assert.equal(retainOnDelete("ecr-full-lifecycle"), undefined);

      // The cache has its own repository: only BuildKit's tag moves, and nothing of the release's is in it.
      const cache = children.find((c) => c.name === "ecr-full-cache-repository")?.inputs;
      assert.equal(cache?.name, "hello-cache");
      assert.equal(cache?.imageTagMutability, "IMMUTABLE_WITH_EXCLUSION");
      assert.deepEqual(cache?.imageTagMutabilityExclusionFilters, [{ filter: "buildkit-*", filterType: "WILDCARD" }]);
      assert.deepEqual(cache?.encryptionConfigurations, [{ encryptionType: "KMS", kmsKey: KMS_KEY }]);
      assert.deepEqual(cache?.tags, { "slipway:component": "build-cache" });
      assert.equal(retainOnDelete("ecr-full-cache-repository"), true);
      assert.equal(await valueOf(registry.cacheRepositoryUrl), `${ECR_HOST}/hello-cache`);

      const access = only(children, T.access).inputs;
      assert.equal(access.repository, "hello");
      const statements = (JSON.parse(access.policy as string) as RepositoryPolicyDocument).Statement;
      assert.deepEqual(
        statements.map((s) => [s.Sid, s.Effect, s.Principal.AWS]),
        [
          ["SlipwayPush", "Allow", [PUSHER]],
          ["SlipwayPull", "Allow", [PULLER]],
        ],
      );
      assert.ok(
        statements.find((s) => s.Sid === "SlipwayPull")?.Action.every((a) => !/Put|Upload/.test(a)),
        "pullers cannot push",
      );
      assert.equal(retainOnDelete("ecr-full-access"), undefined);

      assert.equal(await valueOf(registry.repositoryUrl), `${ECR_HOST}/hello`);
      assert.equal(await valueOf(registry.address), ECR_HOST);
      assert.deepEqual(await valueOf(registry.credentials), { address: ECR_HOST, username: "AWS", password: "ecr-token" });
      assert.equal(await pulumi.isSecret(registry.credentials), true);
      assert.ok(registry.repository !== undefined && registry.lifecyclePolicy !== undefined && registry.repositoryPolicy !== undefined);
      assert.equal(registry.container, undefined);
    });

    it("without principals declares no repository policy; without a key encrypts with AES256", async () => {
      const { registry, children } = await declare("ecr-bare", { settings: ECR, repositoryName: "acme/hello" });
      assert.deepEqual(
        shape(children),
        sorted([`${T.lifecycle} ecr-bare-lifecycle`, `${T.repository} ecr-bare-repository`, `${T.component} ecr-bare`]),
      );
      const repository = only(children, T.repository).inputs;
      assert.deepEqual(repository.encryptionConfigurations, [{ encryptionType: "AES256" }]);
      // No floating tags: ECR takes no empty exclusion list, and every tag is immutable.
      assert.equal(repository.imageTagMutability, "IMMUTABLE");
      assert.deepEqual(repository.imageTagMutabilityExclusionFilters, []);
      const rules = (JSON.parse(only(children, T.lifecycle).inputs.policy as string) as LifecyclePolicyDocument).rules;
      assert.deepEqual(
        rules.map((r) => r.selection.countNumber),
        [14],
      );
      assert.equal(registry.repositoryPolicy, undefined);
      assert.equal(registry.cacheRepository, undefined);
      assert.equal(await valueOf(registry.cacheRepositoryUrl), undefined);
      assert.equal(await pulumi.isSecret(registry.credentials), true);
    });

    it("refuses more floating tags than ECR has exclusion filters, before declaring anything", () => {
      refusesBeforeDeclaring(
        "ecr-many",
        { settings: ECR, repositoryName: "hello", floatingTags: ["a", "b", "c", "d", "e", "f"] },
        "tagTemplates",
        /at most 5/,
      );
    });

    it("refuses a cache repository name ECR does not take", () => {
      refusesBeforeDeclaring(
        "ecr-cache-name",
        { settings: ECR, repositoryName: "hello", cacheRepositoryName: "Hello_Cache!" },
        "cacheRepository",
      );
    });

    it("refuses a wildcard principal", () => {
      refusesBeforeDeclaring(
        "ecr-star",
        { settings: ECR, repositoryName: "hello", pullPrincipals: ["*"] },
        "registries.ecr.pullPrincipals[0]",
      );
    });

    it("refuses options of other kinds", () => {
      refusesBeforeDeclaring(
        "ecr-local-option",
        { settings: ECR, repositoryName: "hello", runLocalRegistryContainer: true },
        "registries.ecr.runLocalRegistryContainer",
      );
    });
  });

  describe("external", () => {
    it("declares nothing and logs in with the given user and secret password", async () => {
      const { registry, children } = await declare("ghcr", {
        settings: GHCR,
        repositoryName: "hello",
        password: "t0ken",
        floatingTags: ["latest"],
      });
      assert.deepEqual(shape(children), sorted([`${T.component} ghcr`]));
      assert.equal(await valueOf(registry.repositoryUrl), "ghcr.io/acme/hello");
      assert.equal(await valueOf(registry.address), "ghcr.io");
      assert.deepEqual(await valueOf(registry.credentials), { address: "ghcr.io", username: "bot", password: "t0ken" });
      assert.equal(await pulumi.isSecret(registry.credentials), true);
      assert.equal(registry.repository, undefined);
      assert.equal(await valueOf(registry.cacheRepositoryUrl), undefined);
    });

    it("names the cache repository beside the image's, declaring nothing for it", async () => {
      const { registry, children } = await declare("ghcr-cache", {
        settings: GHCR,
        repositoryName: "hello",
        password: "t0ken",
        cacheRepositoryName: "hello-cache",
      });
      assert.deepEqual(shape(children), sorted([`${T.component} ghcr-cache`]));
      assert.equal(await valueOf(registry.cacheRepositoryUrl), "ghcr.io/acme/hello-cache");
    });

    it("refuses to run without a password, naming the secret setting", () => {
      refusesBeforeDeclaring("ghcr-nopass", { settings: GHCR, repositoryName: "hello" }, "ghcrToken");
    });

    it("refuses ECR-only options", () => {
      refusesBeforeDeclaring(
        "ghcr-principals",
        { settings: GHCR, repositoryName: "hello", password: "t0ken", pushPrincipals: [PUSHER] },
        "registries.ghcr.io.pushPrincipals",
      );
    });
  });

  describe("local", () => {
    it("uses a running registry without credentials", async () => {
      const { registry, children } = await declare("local-plain", { settings: LOCAL, repositoryName: "hello" });
      assert.deepEqual(shape(children), sorted([`${T.component} local-plain`]));
      assert.equal(await valueOf(registry.repositoryUrl), "127.0.0.1:5000/hello");
      assert.equal(await valueOf(registry.address), "127.0.0.1:5000");
      assert.equal(await valueOf(registry.credentials), undefined);
      assert.equal(registry.container, undefined);
      assert.equal(await valueOf(registry.cacheRepositoryUrl), undefined);
    });

    it("names the cache repository in the same registry", async () => {
      const { registry } = await declare("local-cache", { settings: LOCAL, repositoryName: "hello", cacheRepositoryName: "hello-cache" });
      assert.equal(await valueOf(registry.cacheRepositoryUrl), "127.0.0.1:5000/hello-cache");
    });

    it("runs a digest-pinned registry container bound to loopback, its data volume retained", async () => {
      const { registry, children } = await declare("local-run", {
        settings: LOCAL,
        repositoryName: "hello",
        runLocalRegistryContainer: true,
        localRegistryImage: REGISTRY_IMAGE,
      });
      assert.deepEqual(
        shape(children),
        sorted([
          `${T.container} local-run-registry`,
          `${T.remoteImage} local-run-registry-image`,
          `${T.volume} local-run-registry-data`,
          `${T.component} local-run`,
        ]),
      );
      assert.deepEqual(only(children, T.remoteImage).inputs, { name: REGISTRY_IMAGE, keepLocally: true });
      const container = only(children, T.container).inputs;
      assert.equal(container.image, `sha256:${"c".repeat(64)}`);
      assert.deepEqual(container.ports, [{ internal: 5000, external: 5000, ip: "127.0.0.1" }]);
      assert.deepEqual(container.mounts, [{ type: "volume", source: "local-run-registry-data-volume", target: "/var/lib/registry" }]);
      assert.equal(retainOnDelete("local-run-registry-data"), true);
      assert.equal(await valueOf(registry.repositoryUrl), "127.0.0.1:5000/hello");
      assert.equal(await valueOf(registry.credentials), undefined);
      assert.ok(registry.container !== undefined);
    });

    it("refuses an image from Docker Hub", () => {
      refusesBeforeDeclaring(
        "local-hub",
        {
          settings: LOCAL,
          repositoryName: "hello",
          runLocalRegistryContainer: true,
          localRegistryImage: `docker.io/library/registry@sha256:${"b".repeat(64)}`,
        },
        "registries.local.localRegistryImage",
        /Docker Hub/,
      );
    });

    it("refuses to run a container without an image", () => {
      refusesBeforeDeclaring(
        "local-noimage",
        { settings: LOCAL, repositoryName: "hello", runLocalRegistryContainer: true },
        "registries.local.localRegistryImage",
      );
    });

    it("refuses to publish a registry container beyond loopback", () => {
      refusesBeforeDeclaring(
        "local-lan",
        {
          settings: { ...LOCAL, address: "0.0.0.0:5000" },
          repositoryName: "hello",
          runLocalRegistryContainer: true,
          localRegistryImage: REGISTRY_IMAGE,
        },
        "registries.local.address",
      );
    });
  });
});

describe("ContainerRegistry during preview", () => {
  let registrations: Registration[];

  before(async () => {
    registrations = await recordRegistrations({ preview: true, invokes: TOKEN_ANSWERS, outputs: mockOutputs });
  });

  it("declares the same ECR children, with both policies known before the repository exists", async () => {
    const registry = new ContainerRegistry("ecr-preview", {
      settings: ECR,
      repositoryName: "hello",
      pullPrincipals: [PULLER],
      floatingTags: ["latest"],
    });
    await settle();
    const children = registrations.filter((r) => r.name === "ecr-preview" || r.name.startsWith("ecr-preview-"));
    assert.deepEqual(
      children.map((r) => `${r.type} ${r.name}`).sort(),
      [
        `${T.access} ecr-preview-access`,
        `${T.lifecycle} ecr-preview-lifecycle`,
        `${T.repository} ecr-preview-repository`,
        `${T.component} ecr-preview`,
      ].sort(),
    );
    for (const r of children.filter((c) => c.type === T.lifecycle || c.type === T.access)) {
      assert.equal(typeof r.inputs.policy, "string", `${r.name}.policy is known in preview`);
    }
    assert.equal(await pulumi.isSecret(registry.credentials), true);
  });
});
