import type * as Aws from "@pulumi/aws";
import { aws } from "../providers/awsModule";
import * as github from "@pulumi/github";
import * as pulumi from "@pulumi/pulumi";
import { SlipwayInputError } from "../plan/errors";
import {
  ATHENS_PASSWORD_SECRET,
  NamedRegistry,
  RotationPolicy,
  Slot,
  SlotKeys,
  describeSlots,
  ecrSecretNames,
  nameRegistries,
  passwordSecretName,
  rotationKey,
  slotKeys,
} from "../plan/rotation";
import { RotatingSecret } from "./rotatingSecret";
import { TwoSlotSecret } from "./twoSlotSecret";

/** An ECR registry: CI pushes with an IAM access key pair. */
export interface EcrCiRegistry {
  /** Registry kind. Required. */
  readonly kind: "ecr";
  /** Logical registry name (`ecr`, …), used in resource and GitHub secret names. Required. */
  readonly name: string;
  /** ARNs of the repositories CI may push to, e.g. `repository.arn`: at least one, no wildcards (checked when known at preview). Required. */
  readonly repositoryArns: readonly pulumi.Input<string>[];
}

/**
 * A registry that checks a password the stack sets: the local registry, or an external one whose htpasswd
 * is fed from `previous` and `current`. Not for services that issue their own tokens (ghcr.io, Docker Hub):
 * rotate those at the issuer and update the stack's secret setting.
 */
export interface PasswordCiRegistry {
  /** Registry kind. Required. */
  readonly kind: "local" | "external";
  /** Logical registry name (`local`, `registry.example.com`, …). Required. */
  readonly name: string;
  /** Login user CI pushes as. Defaults to `slipway-ci`. */
  readonly username?: string;
}

export type CiRegistry = EcrCiRegistry | PasswordCiRegistry;

/** Where CI reads its credentials: GitHub Actions secrets of one repository, or of one of its environments. */
export interface GithubSecretsTarget {
  /** Repository owner (user or organisation). Required. */
  readonly owner: string;
  /** Repository name. Required. */
  readonly repo: string;
  /** Deployment environment to hold the secrets (it must exist already). Defaults to repository-wide secrets. */
  readonly environment?: string;
  /** Token allowed to write the repository's Actions secrets, e.g. `config.requireSecret("githubToken")`. Required. */
  readonly token: pulumi.Input<string>;
}

export interface StackSecretsArgs {
  /** When to rotate: `generation` (recommended) and/or `rotationDays`. Defaults to `{generation: 1}`. */
  readonly rotation?: RotationPolicy;
  /**
   * The clock, read once and only when `rotation.rotationDays` is set (tests pass a fixed one). With
   * `rotationDays` the plan depends on the day it is made, which is why `generation` is the recommended
   * policy. Defaults to `() => new Date()`.
   */
  readonly now?: () => Date;
  /** Registries CI pushes to; each gets rotating push credentials. Defaults to none. */
  readonly registries?: readonly CiRegistry[];
  /** GitHub repository to deliver the credentials to as Actions secrets. Defaults to unset: nothing is delivered. */
  readonly github?: GithubSecretsTarget;
}

/** The push credentials of one registry: the current pair, and the previous one that still works. */
export type RegistryCredentials =
  | {
      readonly kind: "ecr";
      readonly currentSlot: Slot;
      readonly accessKeyId: string;
      readonly secretAccessKey: string;
      readonly previousAccessKeyId: string;
      readonly previousSecretAccessKey: string;
    }
  | {
      readonly kind: "local" | "external";
      readonly currentSlot: Slot;
      readonly username: string;
      readonly password: string;
      readonly previousPassword: string;
    };

export const DEFAULT_CI_USERNAME = "slipway-ci";

/** What CI may do in ECR: push layers and manifests to the given repositories, nothing else. */
export const ECR_PUSH_ACTIONS = [
  "ecr:BatchCheckLayerAvailability",
  "ecr:BatchGetImage",
  "ecr:CompleteLayerUpload",
  "ecr:InitiateLayerUpload",
  "ecr:PutImage",
  "ecr:UploadLayerPart",
] as const;

const ECR_REPOSITORY_ARN = /^arn:aws(?:-[a-z]+)*:ecr:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:repository\/[a-z0-9]+(?:[._/-][a-z0-9]+)*$/;
const GITHUB_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,99})$/;

/**
 * The push-only IAM policy (AWS's documented push set, image-push-iam.html): the layer and manifest
 * actions on exactly these repositories, plus `ecr:GetAuthorizationToken`, which cannot be scoped to a
 * repository. ARNs are de-duplicated and sorted so the document is stable.
 */
export function ecrPushPolicy(repositoryArns: readonly string[]): string {
  const arns = [...new Set(repositoryArns)].sort();
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        { Sid: "PushReleaseImages", Effect: "Allow", Action: [...ECR_PUSH_ACTIONS], Resource: arns },
        { Sid: "LogInToRegistry", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
      ],
    },
    null,
    2,
  );
}

interface Delivery {
  readonly secretName: string;
  readonly value: pulumi.Output<string>;
}

function validate(args: StackSecretsArgs): readonly NamedRegistry<CiRegistry>[] {
  const registries = args.registries ?? [];
  const named = nameRegistries(registries);
  registries.forEach((registry, index) => {
    if (registry.kind === "ecr") {
      if (registry.repositoryArns.length === 0) {
        throw new SlipwayInputError(
          `registries[${index}].repositoryArns`,
          [],
          "CI needs at least one repository to push to",
          "pass the ARNs of the release repositories",
        );
      }
      registry.repositoryArns.forEach((arn, i) => {
        if (typeof arn === "string" && !ECR_REPOSITORY_ARN.test(arn)) {
          throw new SlipwayInputError(
            `registries[${index}].repositoryArns[${i}]`,
            arn,
            "not the ARN of one ECR repository (wildcards are refused: CI may push only to release repositories)",
            "pass repository.arn, e.g. arn:aws:ecr:us-east-1:123456789012:repository/acme/hello",
          );
        }
      });
    } else if (registry.username !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/.test(registry.username)) {
      throw new SlipwayInputError(
        `registries[${index}].username`,
        registry.username,
        "not a login name",
        "use letters, digits, '.', '_' or '-'",
      );
    }
  });
  const target = args.github;
  if (target !== undefined) {
    for (const field of ["owner", "repo"] as const) {
      if (!GITHUB_NAME.test(target[field])) {
        throw new SlipwayInputError(
          `github.${field}`,
          target[field],
          `not a GitHub ${field} name`,
          "e.g. github: {owner: acme, repo: hello}",
        );
      }
    }
    const environment = target.environment;
    if (
      environment !== undefined &&
      (environment.trim() !== environment || environment === "" || environment.length > 255 || /[\p{Cc}]/u.test(environment))
    ) {
      throw new SlipwayInputError(
        "github.environment",
        environment,
        "not a GitHub environment name",
        "use the environment's name as shown in the repository settings, or leave it unset",
      );
    }
  }
  return named;
}

/**
 * Rotating credentials of a slipway stack: the Athens basic-auth password (CI reads it from
 * `SLIPWAY_ATHENS_PASSWORD` to use the module proxy), CI push credentials for each registry in two
 * overlapping slots, and the GitHub Actions secrets that deliver the current ones.
 *
 * Rotation follows {@link StackSecretsArgs.rotation}: a single secret (Athens) is replaced when
 * `rotationKey()` changes; two-slot credentials replace one slot per rotation (`slotKeys()`), so the value
 * handed out before a rotation keeps working until the next one.
 */
export class StackSecrets extends pulumi.ComponentResource {
  /** Athens basic-auth password (secret). */
  public readonly athensPassword: pulumi.Output<string>;
  /** Rotation key of the Athens password; not secret. */
  public readonly athensRotationKey: pulumi.Output<string>;
  /** Slot keys of the two-slot credentials; not secret, so a rotation shows in the preview. */
  public readonly slots: pulumi.Output<SlotKeys>;
  /** Push credentials by registry name (secret). */
  public readonly registryCredentials: pulumi.Output<Record<string, RegistryCredentials>>;
  /** Names of the GitHub Actions secrets written (names only; empty without `github`). */
  public readonly githubSecretNames: pulumi.Output<string[]>;

  constructor(name: string, args: StackSecretsArgs, opts?: pulumi.ComponentResourceOptions) {
    const registries = validate(args);
    // Read the clock at most once, so the Athens key and the slots never straddle a window boundary.
    const clock = args.now ?? (() => new Date());
    let instant: Date | undefined;
    const rotation = { ...args.rotation, now: () => (instant ??= clock()) };
    const athensKey = rotationKey(rotation);
    const slots = slotKeys(rotation);
    super("slipway:secrets:StackSecrets", name, {}, opts);
    if (registries.length > 0) void pulumi.log.info(describeSlots(`${name} push credentials`, slots), this);

    const athens = new RotatingSecret(`${name}-athens-password`, { rotationKey: athensKey }, { parent: this });
    const deliveries: Delivery[] = [{ secretName: ATHENS_PASSWORD_SECRET, value: athens.value }];

    const credentials: Record<string, pulumi.Output<RegistryCredentials>> = {};
    for (const named of registries) {
      const { registry } = named;
      const prefix = `${name}-${named.slug}`;
      if (registry.kind === "ecr") {
        const keys = this.ecrPushKeys(prefix, registry, slots);
        const [current, previous] = [keys[slots.current], keys[slots.previous]];
        credentials[registry.name] = pulumi
          .all([current.id, current.secret, previous.id, previous.secret])
          .apply(([accessKeyId, secretAccessKey, previousAccessKeyId, previousSecretAccessKey]) => ({
            kind: "ecr" as const,
            currentSlot: slots.current,
            accessKeyId,
            secretAccessKey,
            previousAccessKeyId,
            previousSecretAccessKey,
          }));
        const names = ecrSecretNames(named);
        deliveries.push(
          { secretName: names.accessKeyId, value: pulumi.secret(current.id) },
          { secretName: names.secretAccessKey, value: pulumi.secret(current.secret) },
        );
      } else {
        const username = registry.username ?? DEFAULT_CI_USERNAME;
        const password = new TwoSlotSecret(`${prefix}-password`, { slots }, { parent: this });
        credentials[registry.name] = pulumi.all([password.current, password.previous]).apply(([current, previous]) => ({
          kind: registry.kind,
          currentSlot: slots.current,
          username,
          password: current,
          previousPassword: previous,
        }));
        deliveries.push({ secretName: passwordSecretName(named), value: password.current });
      }
    }

    if (args.github !== undefined) this.deliver(name, args.github, deliveries);

    this.athensPassword = pulumi.secret(athens.value);
    this.athensRotationKey = athens.rotationKey;
    this.slots = pulumi.output(slots);
    this.registryCredentials = pulumi.secret(pulumi.all(credentials));
    this.githubSecretNames = pulumi.output(args.github === undefined ? [] : deliveries.map((d) => d.secretName));
    this.registerOutputs({
      athensPassword: this.athensPassword,
      athensRotationKey: this.athensRotationKey,
      slots: this.slots,
      registryCredentials: this.registryCredentials,
      githubSecretNames: this.githubSecretNames,
    });
  }

  /**
   * One IAM user per slot, each with one access key named after its slot key. AWS allows two access keys
   * per user, so a single user with two slots could not create a slot's new key before deleting its old
   * one; with a user per slot, a rotation creates the new key first (deleteBeforeReplace: false) and the
   * engine deletes the old one at the end of the deployment.
   */
  private ecrPushKeys(prefix: string, registry: EcrCiRegistry, slots: SlotKeys): Record<Slot, Aws.iam.AccessKey> {
    const policy = new aws.iam.Policy(
      `${prefix}-push`,
      {
        description: `Push-only access to the release repositories for slipway CI (${registry.name})`,
        policy: pulumi.all([...registry.repositoryArns]).apply(ecrPushPolicy),
      },
      { parent: this },
    );
    const keyOf = (slot: Slot): Aws.iam.AccessKey => {
      const user = new aws.iam.User(`${prefix}-ci-${slot}`, { path: "/slipway/", tags: { "slipway:slot": slot } }, { parent: this });
      const attachment = new aws.iam.UserPolicyAttachment(
        `${prefix}-ci-${slot}-push`,
        { user: user.name, policyArn: policy.arn },
        { parent: this },
      );
      // The slot key in the name makes a rotation a new resource: created before the old key is deleted.
      return new aws.iam.AccessKey(
        `${prefix}-ci-${slot}-${slots[slot]}`,
        { user: user.name },
        { parent: this, deleteBeforeReplace: false, dependsOn: [attachment] },
      );
    };
    return { a: keyOf("a"), b: keyOf("b") };
  }

  /** Actions secrets written through a provider pinned to the target's owner, so they cannot land in another account's repository. */
  private deliver(name: string, target: GithubSecretsTarget, deliveries: readonly Delivery[]): void {
    const provider = new github.Provider(`${name}-github`, { owner: target.owner, token: pulumi.secret(target.token) }, { parent: this });
    // If a value change ever forces a replacement, the new secret must not be deleted by the old one's
    // removal (same repository and name): delete first.
    const options = { parent: this, provider, deleteBeforeReplace: true };
    for (const { secretName, value } of deliveries) {
      const resourceName = `${name}-gh-${secretName.toLowerCase().replace(/_/g, "-")}`;
      const secretValue = pulumi.secret(value);
      if (target.environment === undefined) {
        new github.ActionsSecret(resourceName, { repository: target.repo, secretName, value: secretValue }, options);
      } else {
        new github.ActionsEnvironmentSecret(
          resourceName,
          { repository: target.repo, environment: target.environment, secretName, value: secretValue },
          options,
        );
      }
    }
  }
}
