// An Athens that is already running (on this machine or elsewhere): health-checked at deploy time, never
// started; its URL may carry basic-auth credentials.
import * as pulumi from "@pulumi/pulumi";
import { checkEndpointUrl, hasCredentials, withoutCredentials } from "../plan/athensValidate";
import { LocalEndpointAthensSettings, checkEndpointSettings } from "../plan/athensSettings";
import { LocalAthens } from "../providers/localAthens";

export interface AthensLocalEndpointArgs extends Omit<LocalEndpointAthensSettings, "url"> {
  /** Base URL of an existing Athens, checked (never started) at deploy time; may carry credentials. Required. */
  readonly url: pulumi.Input<string>;
}

/** An existing Athens; `goproxy` is a secret when the URL carries credentials. */
export class AthensLocalEndpoint extends pulumi.ComponentResource {
  /** The Athens base URL without credentials. */
  public readonly url: pulumi.Output<string>;
  /** The GOPROXY value (the URL as given); resolves once the endpoint answered its health check. */
  public readonly goproxy: pulumi.Output<string>;

  constructor(name: string, args: AthensLocalEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    checkEndpointSettings(args);
    super("slipway:athens:AthensLocalEndpoint", name, {}, opts);
    // The URL may embed credentials: kept secret in the resource's state whatever the caller passed.
    const endpoint = new LocalAthens(
      `${name}-endpoint`,
      { source: "endpoint", url: pulumi.secret(args.url) },
      // Before this component existed the endpoint was the AthensProxy's own child: the alias keeps its URN.
      { parent: this, aliases: opts?.parent === undefined ? [] : [{ parent: opts.parent }] },
    );
    // Waits for the deploy-time check; secret only when the URL carries credentials.
    this.goproxy = pulumi.all([args.url, endpoint.healthy]).apply(([url]) => {
      const checkedUrl = checkEndpointUrl(url);
      return hasCredentials(checkedUrl) ? pulumi.secret(checkedUrl) : pulumi.output(checkedUrl);
    });
    this.url = pulumi.unsecret(this.goproxy).apply(withoutCredentials);
    this.registerOutputs({ url: this.url, goproxy: this.goproxy });
  }
}
