// StackSecrets, RotatingSecret and TwoSlotSecret against recorded mock registrations. What mocks cannot
// prove: that AWS and GitHub accept the inputs, the engine's replacement order, or that the dynamic
// provider runs in the engine's provider host (test/providers/randomSecret.test.ts calls it directly).
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { RotatingSecret } from "../../components/rotatingSecret";
import { StackSecrets, StackSecretsArgs, ecrPushPolicy } from "../../components/stackSecrets";
import { TwoSlotSecret } from "../../components/twoSlotSecret";
import { SlipwayInputError } from "../../plan/errors";
import { slotKeys } from "../../plan/rotation";
import { DEFAULT_ALPHABET } from "../../providers/randomSecret";
import { assertGolden } from "../support/golden";
import { Registration, named, ofType, recordRegistrations, settle, valueOf } from "../support/mocks";

const RANDOM = "pulumi-nodejs:dynamic/slipway:RandomSecret";
const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const ACTIONS_SECRET = "github:index/actionsSecret:ActionsSecret";
const ENVIRONMENT_SECRET = "github:index/actionsEnvironmentSecret:ActionsEnvironmentSecret";

const ARN_HELLO = "arn:aws:ecr:us-east-1:123456789012:repository/acme/hello";
const ARN_CACHE = "arn:aws:ecr:us-east-1:123456789012:repository/acme/hello-cache";

/** Mock outputs: a recognisable value per generated secret, an ARN per policy. */
function mockOutputs(r: Registration): Record<string, unknown> {
  if (r.type === RANDOM) return { value: `random(${r.name})` };
  if (r.type === ACCESS_KEY) return { secret: `secret(${r.name})` };
  if (r.type === "aws:iam/policy:Policy") return { arn: `arn:aws:iam::123456789012:policy/${r.name}` };
  if (r.type === "aws:iam/user:User") return { name: `${r.name}-user` };
  return {};
}

/** The full set of options: ECR (ARNs as a string, an output and a duplicate), a local registry, repository secrets. */
function fullArgs(generation: number): StackSecretsArgs {
  return {
    rotation: { generation },
    now: () => {
      throw new Error("a generation-only policy must not read the clock");
    },
    registries: [
      { kind: "ecr", name: "ecr", repositoryArns: [pulumi.output(ARN_HELLO), ARN_CACHE, ARN_HELLO] },
      { kind: "local", name: "local" },
    ],
    github: { owner: "acme", repo: "hello", token: "ghp-test-token" },
  };
}

/** Secret inputs reach the mock wrapped in Pulumi's secret envelope; this unwraps one, failing if it is not. */
function secretInput(registration: Registration, key: string): unknown {
  const input = registration.inputs[key];
  assert.ok(
    typeof input === "object" &&
      input !== null &&
      (input as Record<string, unknown>)[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig,
    `${registration.name}.${key} is registered in plain text`,
  );
  return (input as { value: unknown }).value;
}

function ownedBy(registrations: readonly Registration[], name: string): Registration[] {
  return registrations.filter((r) => r.name === name || r.name.startsWith(`${name}-`));
}

function shape(registrations: readonly Registration[]): string[] {
  return registrations.map((r) => `${r.type} ${r.name}`).sort();
}

function fullShape(name: string, keys: { a: string; b: string }): string[] {
  return [
    "aws:iam/policy:Policy NAME-ecr-push",
    "aws:iam/user:User NAME-ecr-ci-a",
    "aws:iam/user:User NAME-ecr-ci-b",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment NAME-ecr-ci-a-push",
    "aws:iam/userPolicyAttachment:UserPolicyAttachment NAME-ecr-ci-b-push",
    `${ACCESS_KEY} NAME-ecr-ci-a-${keys.a}`,
    `${ACCESS_KEY} NAME-ecr-ci-b-${keys.b}`,
    `${ACTIONS_SECRET} NAME-gh-slipway-athens-password`,
    `${ACTIONS_SECRET} NAME-gh-slipway-registry-ecr-aws-access-key-id`,
    `${ACTIONS_SECRET} NAME-gh-slipway-registry-ecr-aws-secret-access-key`,
    `${ACTIONS_SECRET} NAME-gh-slipway-registry-local-password`,
    "pulumi:providers:github NAME-github",
    `${RANDOM} NAME-athens-password-value`,
    `${RANDOM} NAME-local-password-a`,
    `${RANDOM} NAME-local-password-b`,
    "slipway:secrets:RotatingSecret NAME-athens-password",
    "slipway:secrets:StackSecrets NAME",
    "slipway:secrets:TwoSlotSecret NAME-local-password",
  ]
    .map((line) => line.replace(/NAME/g, name))
    .sort();
}

describe("StackSecrets", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs });
  });

  it("declares only the Athens password when no registry and no GitHub repository are given", async () => {
    const secrets = new StackSecrets("bare", {});
    await settle();
    assert.deepEqual(shape(ownedBy(registrations, "bare")), [
      `${RANDOM} bare-athens-password-value`,
      "slipway:secrets:RotatingSecret bare-athens-password",
      "slipway:secrets:StackSecrets bare",
    ]);
    assert.deepEqual(named(registrations, "bare-athens-password-value").inputs.rotationKey, "g1");
    assert.deepEqual(await valueOf(secrets.githubSecretNames), []);
    assert.deepEqual(await valueOf(secrets.registryCredentials), {});
  });

  it("declares ECR keys in two slots, a local password pair and repository secrets", async () => {
    new StackSecrets("full", fullArgs(1));
    await settle();
    const mine = ownedBy(registrations, "full");
    assert.deepEqual(shape(mine), fullShape("full", { a: "r1", b: "r0" }));
    assert.equal(ofType(mine, ENVIRONMENT_SECRET).length, 0);

    assertGolden("secrets-ecr-push-policy.json", `${String(named(mine, "full-ecr-push").inputs.policy)}\n`);
    for (const slot of ["a", "b"]) {
      assert.deepEqual(named(mine, `full-ecr-ci-${slot}`).inputs, { path: "/slipway/", tags: { "slipway:slot": slot } });
      assert.deepEqual(named(mine, `full-ecr-ci-${slot}-push`).inputs, {
        user: `full-ecr-ci-${slot}-user`,
        policyArn: "arn:aws:iam::123456789012:policy/full-ecr-push",
      });
    }
    assert.deepEqual(named(mine, "full-ecr-ci-a-r1").inputs, { user: "full-ecr-ci-a-user" });

    const provider = named(mine, "full-github");
    assert.equal(provider.inputs.owner, "acme");
    assert.equal(secretInput(provider, "token"), "ghp-test-token");

    // Generation 1: slot a is current, so CI gets slot a's credentials.
    const delivered = Object.fromEntries(
      ofType(mine, ACTIONS_SECRET).map((r) => {
        assert.equal(r.inputs.repository, "hello");
        return [String(r.inputs.secretName), secretInput(r, "value")] as const;
      }),
    );
    assert.deepEqual(delivered, {
      SLIPWAY_ATHENS_PASSWORD: "random(full-athens-password-value)",
      SLIPWAY_REGISTRY_ECR_AWS_ACCESS_KEY_ID: "full-ecr-ci-a-r1-id",
      SLIPWAY_REGISTRY_ECR_AWS_SECRET_ACCESS_KEY: "secret(full-ecr-ci-a-r1)",
      SLIPWAY_REGISTRY_LOCAL_PASSWORD: "random(full-local-password-a)",
    });
    for (const r of ofType(mine, RANDOM)) {
      assert.deepEqual(Object.keys(r.inputs).sort(), ["__provider", "alphabet", "length", "rotationKey"], `${r.name} registers no value`);
    }
  });

  it("writes environment secrets when an environment is named, and passes external registry users through", async () => {
    const secrets = new StackSecrets("env", {
      registries: [{ kind: "external", name: "registry.example.com", username: "pusher" }],
      github: { owner: "acme", repo: "hello", environment: "release", token: pulumi.secret("ghp-test-token") },
    });
    await settle();
    const mine = ownedBy(registrations, "env");
    assert.deepEqual(
      shape(mine),
      [
        `${ENVIRONMENT_SECRET} env-gh-slipway-athens-password`,
        `${ENVIRONMENT_SECRET} env-gh-slipway-registry-registry-example-com-password`,
        "pulumi:providers:github env-github",
        `${RANDOM} env-athens-password-value`,
        `${RANDOM} env-registry-example-com-password-a`,
        `${RANDOM} env-registry-example-com-password-b`,
        "slipway:secrets:RotatingSecret env-athens-password",
        "slipway:secrets:StackSecrets env",
        "slipway:secrets:TwoSlotSecret env-registry-example-com-password",
      ].sort(),
    );
    for (const r of ofType(mine, ENVIRONMENT_SECRET)) {
      assert.equal(r.inputs.environment, "release");
      assert.equal(r.inputs.repository, "hello");
    }
    assert.equal(
      secretInput(named(mine, "env-gh-slipway-registry-registry-example-com-password"), "value"),
      "random(env-registry-example-com-password-a)",
    );
    assert.deepEqual(await valueOf(secrets.registryCredentials), {
      "registry.example.com": {
        kind: "external",
        currentSlot: "a",
        username: "pusher",
        password: "random(env-registry-example-com-password-a)",
        previousPassword: "random(env-registry-example-com-password-b)",
      },
    });
  });

  it("keeps every credential output secret, and only keys and names in the clear", async () => {
    const secrets = new StackSecrets("outs", fullArgs(2));
    assert.equal(await pulumi.isSecret(secrets.athensPassword), true);
    assert.equal(await pulumi.isSecret(secrets.registryCredentials), true);
    assert.equal(await pulumi.isSecret(secrets.athensRotationKey), false);
    assert.equal(await pulumi.isSecret(secrets.slots), false);
    assert.equal(await pulumi.isSecret(secrets.githubSecretNames), false);
    assert.equal(await valueOf(secrets.athensPassword), "random(outs-athens-password-value)");
    assert.equal(await valueOf(secrets.athensRotationKey), "g2");
    assert.deepEqual(await valueOf(secrets.slots), { a: "r1", b: "r2", current: "b", previous: "a", step: 2 });
    assert.deepEqual(await valueOf(secrets.registryCredentials), {
      ecr: {
        kind: "ecr",
        currentSlot: "b",
        accessKeyId: "outs-ecr-ci-b-r2-id",
        secretAccessKey: "secret(outs-ecr-ci-b-r2)",
        previousAccessKeyId: "outs-ecr-ci-a-r1-id",
        previousSecretAccessKey: "secret(outs-ecr-ci-a-r1)",
      },
      local: {
        kind: "local",
        currentSlot: "b",
        username: "slipway-ci",
        password: "random(outs-local-password-b)",
        previousPassword: "random(outs-local-password-a)",
      },
    });
    assert.deepEqual(await valueOf(secrets.githubSecretNames), [
      "SLIPWAY_ATHENS_PASSWORD",
      "SLIPWAY_REGISTRY_ECR_AWS_ACCESS_KEY_ID",
      "SLIPWAY_REGISTRY_ECR_AWS_SECRET_ACCESS_KEY",
      "SLIPWAY_REGISTRY_LOCAL_PASSWORD",
    ]);
    await settle();
  });

  it("rotating generation 1 → 2 changes the Athens key and exactly one slot of each pair", async () => {
    new StackSecrets("rot1", fullArgs(1));
    new StackSecrets("rot2", fullArgs(2));
    await settle();
    const [before, after] = ["rot1", "rot2"].map((name) => {
      const mine = ownedBy(registrations, name);
      const key = (suffix: string) => named(mine, `${name}-${suffix}`).inputs.rotationKey;
      return {
        athens: key("athens-password-value"),
        local: { a: key("local-password-a"), b: key("local-password-b") },
        accessKeys: ofType(mine, ACCESS_KEY)
          .map((r) => r.name.slice(name.length + 1))
          .sort(),
        delivered: secretInput(named(mine, `${name}-gh-slipway-registry-local-password`), "value"),
      };
    });
    assert.deepEqual(before, {
      athens: "g1",
      local: { a: "r1", b: "r0" },
      accessKeys: ["ecr-ci-a-r1", "ecr-ci-b-r0"],
      delivered: "random(rot1-local-password-a)",
    });
    assert.deepEqual(after, {
      athens: "g2",
      local: { a: "r1", b: "r2" },
      accessKeys: ["ecr-ci-a-r1", "ecr-ci-b-r2"],
      delivered: "random(rot2-local-password-b)",
    });
  });

  it("derives the window from the injected clock when rotationDays is set", async () => {
    const secrets = new StackSecrets("days", { rotation: { rotationDays: 30 }, now: () => new Date("2024-01-18T00:00:00Z") });
    assert.equal(await valueOf(secrets.athensRotationKey), "g1-w2024-01-18");
    assert.deepEqual(await valueOf(secrets.slots), slotKeys({ rotationDays: 30, now: () => new Date("2024-01-18T00:00:00Z") }));
    await settle();
  });

  it("sets the options the rotation relies on", async () => {
    const options = new Map<string, pulumi.CustomResourceOptions>();
    // Children inherit the parent's transformations, so this sees every child's resolved options.
    const capture: pulumi.ResourceTransformation = (args) => {
      options.set(args.name, args.opts);
      return undefined;
    };
    new StackSecrets("opts", fullArgs(1), { transformations: [capture] });
    await settle();
    const keyOptions = options.get("opts-ecr-ci-a-r1");
    assert.equal(keyOptions?.deleteBeforeReplace, false, "a slot's new access key is created before its old one is deleted");
    const dependsOn = keyOptions?.dependsOn;
    assert.ok(Array.isArray(dependsOn) && dependsOn.length === 1 && pulumi.Resource.isInstance(dependsOn[0]));
    assert.match(await valueOf(dependsOn[0].urn), /::opts-ecr-ci-a-push$/, "a key is handed out only once it can push");
    for (const name of ["opts-gh-slipway-athens-password", "opts-gh-slipway-registry-local-password"]) {
      assert.equal(options.get(name)?.deleteBeforeReplace, true, `${name}: a replacement must not delete the new secret`);
      assert.ok(options.get(name)?.provider !== undefined, `${name} uses the owner-pinned provider`);
    }
    for (const name of ["opts-athens-password-value", "opts-local-password-a", "opts-local-password-b"]) {
      assert.deepEqual(options.get(name)?.additionalSecretOutputs, ["value"], `${name}.value is secret in state`);
    }
  });

  const BAD: readonly [string, StackSecretsArgs, string][] = [
    [
      "a wildcard repository ARN",
      { registries: [{ kind: "ecr", name: "ecr", repositoryArns: ["arn:aws:ecr:us-east-1:123456789012:repository/*"] }] },
      'slipway:registries[0].repositoryArns[0] = "arn:aws:ecr:us-east-1:123456789012:repository/*": not the ARN of one ECR repository (wildcards are refused: CI may push only to release repositories); fix: pass repository.arn, e.g. arn:aws:ecr:us-east-1:123456789012:repository/acme/hello',
    ],
    [
      "no repository to push to",
      { registries: [{ kind: "ecr", name: "ecr", repositoryArns: [] }] },
      "slipway:registries[0].repositoryArns = []: CI needs at least one repository to push to; fix: pass the ARNs of the release repositories",
    ],
    [
      "registries whose secrets collide",
      {
        registries: [
          { kind: "local", name: "a.b" },
          { kind: "local", name: "a-b" },
        ],
      },
      'slipway:registries[1].name = "a-b": its CI secrets would have the same names as those of registry "a.b" (SLIPWAY_REGISTRY_A_B_…); fix: give the registries names that differ in letters or digits',
    ],
    [
      "a login name with a space",
      { registries: [{ kind: "local", name: "local", username: "ci user" }] },
      "slipway:registries[0].username = \"ci user\": not a login name; fix: use letters, digits, '.', '_' or '-'",
    ],
    [
      "a bad owner",
      { github: { owner: "ac me", repo: "hello", token: "t" } },
      'slipway:github.owner = "ac me": not a GitHub owner name; fix: e.g. github: {owner: acme, repo: hello}',
    ],
    [
      "a blank environment",
      { github: { owner: "acme", repo: "hello", environment: " ", token: "t" } },
      'slipway:github.environment = " ": not a GitHub environment name; fix: use the environment\'s name as shown in the repository settings, or leave it unset',
    ],
    [
      "generation 0",
      { rotation: { generation: 0 } },
      "slipway:rotation.generation = 0: must be a whole number of at least 1; fix: start at 1 and bump by one to rotate, e.g. pulumi config set --path slipway:rotation.generation 2",
    ],
  ];
  BAD.forEach(([title, args, message], index) => {
    it(`[${index}] refuses ${title} before declaring anything`, async () => {
      const name = `bad${index}`;
      assert.throws(
        () => new StackSecrets(name, args),
        (error: unknown) => error instanceof SlipwayInputError && error.message === message,
      );
      await settle();
      assert.deepEqual(ownedBy(registrations, name), []);
    });
  });

  it("RotatingSecret and TwoSlotSecret declare one and two RandomSecrets and keep their values secret", async () => {
    const single = new RotatingSecret("solo", { rotationKey: "g7", length: 40 });
    const pair = new TwoSlotSecret("pair", { slots: slotKeys({ generation: 4, now: () => new Date(0) }), encoding: "hex" });
    await settle();
    assert.deepEqual(shape(ownedBy(registrations, "solo")), [`${RANDOM} solo-value`, "slipway:secrets:RotatingSecret solo"]);
    assert.deepEqual(shape(ownedBy(registrations, "pair")), [`${RANDOM} pair-a`, `${RANDOM} pair-b`, "slipway:secrets:TwoSlotSecret pair"]);
    assert.deepEqual(
      { ...named(registrations, "solo-value").inputs, __provider: undefined },
      {
        __provider: undefined,
        rotationKey: "g7",
        length: 40,
        alphabet: DEFAULT_ALPHABET,
      },
    );
    assert.deepEqual(
      ["pair-a", "pair-b"].map((n) => ({ ...named(registrations, n).inputs, __provider: undefined })),
      [
        { __provider: undefined, rotationKey: "r3", length: 32, encoding: "hex" },
        { __provider: undefined, rotationKey: "r4", length: 32, encoding: "hex" },
      ],
    );
    for (const output of [single.value, pair.current, pair.previous]) assert.equal(await pulumi.isSecret(output), true);
    assert.equal(await pulumi.isSecret(pair.currentSlot), false);
    assert.deepEqual(await Promise.all([valueOf(single.value), valueOf(pair.current), valueOf(pair.previous), valueOf(pair.currentSlot)]), [
      "random(solo-value)",
      "random(pair-b)",
      "random(pair-a)",
      "b",
    ]);
  });

  it("TwoSlotSecret refuses slots that are not two distinct keys", () => {
    assert.throws(
      () => new TwoSlotSecret("same", { slots: { a: "r1", b: "r1", current: "a", previous: "b", step: 1 } }),
      /^SlipwayInputError: slipway:same\.slots = .*: the two slots must have distinct keys and roles; fix: pass the result of slotKeys\(\)$/,
    );
  });

  it("renders the push policy for exactly the given repositories", () => {
    const policy = JSON.parse(ecrPushPolicy([ARN_CACHE, ARN_HELLO, ARN_CACHE])) as { Statement: { Resource: unknown }[] };
    assert.deepEqual(
      policy.Statement.map((s) => s.Resource),
      [[ARN_HELLO, ARN_CACHE].sort(), "*"],
    );
  });
});

describe("StackSecrets in preview", () => {
  let registrations: Registration[];
  before(async () => {
    registrations = await recordRegistrations({ outputs: mockOutputs, preview: true });
  });

  it("declares the same resources and keeps outputs secret", async () => {
    assert.equal(pulumi.runtime.isDryRun(), true);
    const secrets = new StackSecrets("preview", fullArgs(1));
    await settle();
    assert.deepEqual(shape(ownedBy(registrations, "preview")), fullShape("preview", { a: "r1", b: "r0" }));
    assert.equal(await pulumi.isSecret(secrets.athensPassword), true);
    assert.equal(await pulumi.isSecret(secrets.registryCredentials), true);
    assert.equal(await valueOf(secrets.athensRotationKey), "g1");
  });
});
