import * as pulumi from "@pulumi/pulumi";
import { parsePinnedImage } from "../plan/baseImage";
import { ImageMirror } from "../providers/imageMirror";
import { splitRepositoryUrl } from "../providers/registryClient";
import { RegistryCredentialsInput } from "./multiArchImage";

export interface BaseImageArgs {
  /** The base image, pinned by digest: `<registry>/<repository>@sha256:<digest>`. Required. */
  readonly source: string;
  /** Registries of the stack's own (`host[:port]`); a source already in one of them is used as it is. Required. */
  readonly ownRegistries: readonly string[];
  /** Repository URL to copy the image to when it comes from elsewhere, e.g. `127.0.0.1:5000/mirror/static`. Required. */
  readonly mirrorRepositoryUrl: pulumi.Input<string>;
  /** Login for the mirror's registry. Defaults to none. */
  readonly credentials?: pulumi.Input<RegistryCredentialsInput | undefined>;
}

/**
 * A base image that builds can rely on: pinned by digest and served from a registry of the stack's own.
 * An image from elsewhere is copied there once (same digest); later updates use the copy.
 */
export class BaseImage extends pulumi.ComponentResource {
  /** `<own registry>/<repository>@<digest>`. */
  public readonly ref: pulumi.Output<string>;

  constructor(name: string, args: BaseImageArgs, opts?: pulumi.ComponentResourceOptions) {
    const { registry, repository, digest } = parsePinnedImage(args.source);
    super("slipway:image:BaseImage", name, {}, opts);
    if (args.ownRegistries.includes(registry)) {
      this.ref = pulumi.output(args.source);
    } else {
      const target = pulumi.output(args.mirrorRepositoryUrl).apply(splitRepositoryUrl);
      const mirror = new ImageMirror(
        `${name}-mirror`,
        {
          sourceRegistry: registry,
          sourceRepository: repository,
          digest,
          targetRegistry: target.registry,
          targetRepository: target.repository,
          targetCredentials:
            args.credentials === undefined
              ? undefined
              : pulumi
                  .output(args.credentials)
                  .apply((c) => (c === undefined ? undefined : { username: c.username, password: c.password })),
          slipwayPublished: true,
        },
        { parent: this },
      );
      this.ref = mirror.ref;
    }
    this.registerOutputs({ ref: this.ref });
  }
}
