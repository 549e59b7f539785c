// The private Go module proxy (Athens) release builds download modules through, so that a sealed
// release fetches nothing from the Internet. It dispatches to one child per kind: `aws` (AthensAws: ECS
// Fargate behind an internal load balancer with S3 storage), `local` + `process` (AthensLocalProcess: a
// loopback Athens on disk) and `local` + `endpoint` (AthensLocalEndpoint: an Athens already running).
import * as pulumi from "@pulumi/pulumi";
import { goClientEnv } from "../plan/athensRender";
import { AthensClientSettings, checkAwsSettings, checkEndpointSettings, checkLocalProcessSettings } from "../plan/athensSettings";
import { AthensAws, AthensAwsArgs } from "./athensAws";
import { AthensLocalEndpoint, AthensLocalEndpointArgs } from "./athensLocalEndpoint";
import { AthensLocalProcess, AthensLocalProcessArgs } from "./athensLocalProcess";

export type AwsAthensProxyArgs = AthensAwsArgs;
export type LocalProcessAthensProxyArgs = AthensLocalProcessArgs;
export type LocalEndpointAthensProxyArgs = AthensLocalEndpointArgs;
/** One of the three kinds, told apart by `kind` (and `source` for `local`). */
export type AthensProxyArgs = AwsAthensProxyArgs | LocalProcessAthensProxyArgs | LocalEndpointAthensProxyArgs;
/** The proxy as a composition configures it: for `aws` the composition supplies the basic-auth password. */
export type AthensProxySettings =
  Omit<AwsAthensProxyArgs, "basicAuthPassword"> | LocalProcessAthensProxyArgs | LocalEndpointAthensProxyArgs;

/**
 * Validates proxy arguments (the password is not needed) without declaring anything and returns what the Go clients need; throws
 * SlipwayInputError. Compositions call it before their first child so that bad proxy settings stop an
 * update before any resource exists.
 */
export function checkAthensProxyArgs(args: AthensProxySettings): AthensClientSettings {
  if (args.kind === "aws") return checkAwsSettings(args).settings;
  if (args.source === "process") return checkLocalProcessSettings(args).settings;
  return checkEndpointSettings(args);
}

/** What every kind's child gives the proxy. */
interface Deployed {
  readonly url: pulumi.Output<string>;
  readonly goproxy: pulumi.Output<string>;
  readonly bucketName?: pulumi.Output<string>;
  readonly loadBalancer?: pulumi.Output<{ dnsName: string; zoneId: string }>;
  readonly adopted?: pulumi.Output<boolean>;
}

/**
 * Athens for hermetic Go builds. `goproxy` is the URL to download modules from (a secret when it
 * carries credentials); `goEnv` is the whole Go environment a release build must use with it.
 */
export class AthensProxy extends pulumi.ComponentResource {
  /** The Athens base URL without credentials (for messages and dashboards). */
  public readonly url: pulumi.Output<string>;
  /** The GOPROXY value; a secret when it embeds basic-auth credentials. */
  public readonly goproxy: pulumi.Output<string>;
  /** GOPROXY, GOFLAGS, GOTOOLCHAIN, GOVCS, CGO_ENABLED (+ GOPRIVATE/GONOPROXY/GONOSUMDB, GOSUMDB): what builds must use. */
  public readonly goEnv: pulumi.Output<Record<string, string>>;
  /** The module bucket (aws only). */
  public readonly bucketName: pulumi.Output<string> | undefined;
  /** Where `tls.hostname` must point (a Route 53 alias target; aws only). */
  public readonly loadBalancer: pulumi.Output<{ dnsName: string; zoneId: string }> | undefined;
  /** Whether an Athens already serving the address was adopted instead of started (local process only). */
  public readonly adopted: pulumi.Output<boolean> | undefined;

  constructor(name: string, args: AthensProxyArgs, opts?: pulumi.ComponentResourceOptions) {
    const client = checkAthensProxyArgs(args);
    super("slipway:athens:AthensProxy", name, {}, opts);

    // The child takes the proxy's own name, so the resources below it keep their names.
    const deployed = this.declareKind(name, args);
    this.url = deployed.url;
    this.goproxy = deployed.goproxy;
    this.bucketName = deployed.bucketName;
    this.loadBalancer = deployed.loadBalancer;
    this.adopted = deployed.adopted;
    this.goEnv = this.goproxy.apply((url) =>
      goClientEnv({ goproxy: url, privatePatterns: client.privatePatterns, gosumdb: client.gosumdb }),
    );

    this.registerOutputs({
      url: this.url,
      goproxy: this.goproxy,
      goEnv: this.goEnv,
      bucketName: this.bucketName,
      loadBalancer: this.loadBalancer,
      adopted: this.adopted,
    });
  }

  private declareKind(name: string, args: AthensProxyArgs): Deployed {
    if (args.kind === "aws") return new AthensAws(name, args, { parent: this });
    if (args.source === "process") return new AthensLocalProcess(name, args, { parent: this });
    return new AthensLocalEndpoint(name, args, { parent: this });
  }
}
