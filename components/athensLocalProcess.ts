// Athens as a process on this machine, listening on loopback with disk storage (or an Athens already
// serving that address, adopted).
import * as pulumi from "@pulumi/pulumi";
import { resolve } from "node:path";
import { athensServerEnv } from "../plan/athensRender";
import { LocalProcessAthensSettings, checkLocalProcessSettings } from "../plan/athensSettings";
import { LocalAthens } from "../providers/localAthens";

/** The fields, each with its default, are documented on {@link LocalProcessAthensSettings}. */
export type AthensLocalProcessArgs = LocalProcessAthensSettings;

/** A loopback Athens process; relative directories are resolved against the working directory. */
export class AthensLocalProcess extends pulumi.ComponentResource {
  /** The Athens base URL (loopback, no credentials). */
  public readonly url: pulumi.Output<string>;
  /** The GOPROXY value: the base URL. */
  public readonly goproxy: pulumi.Output<string>;
  /** Whether an Athens already serving the address was adopted instead of started. */
  public readonly adopted: pulumi.Output<boolean>;

  constructor(name: string, args: AthensLocalProcessArgs, opts?: pulumi.ComponentResourceOptions) {
    const checked = checkLocalProcessSettings(args);
    super("slipway:athens:AthensLocalProcess", name, {}, opts);
    const { settings, listen } = checked;
    const storageRoot = resolve(checked.storageDir);
    const env = athensServerEnv({
      mode: settings.mode,
      rules: settings.rules,
      upstream: settings.upstream,
      privatePatterns: settings.privatePatterns,
      gosumdb: settings.gosumdb,
      listen: `${listen.host}:${listen.port}`,
      storage: { type: "disk", root: storageRoot },
    });
    const athens = new LocalAthens(
      `${name}-process`,
      {
        source: "process",
        binary: checked.binary,
        host: listen.host,
        port: listen.port,
        storageRoot,
        stateDir: resolve(checked.stateDir),
        downloadMode: settings.downloadMode,
        networkMode: settings.networkMode,
        env,
        startTimeoutMs: checked.startTimeoutMs,
      },
      // Before this component existed the process was the AthensProxy's own child: the alias keeps its URN.
      { parent: this, aliases: opts?.parent === undefined ? [] : [{ parent: opts.parent }] },
    );
    athens.adopted.apply((adopted) => {
      if (adopted === true) {
        void pulumi.log.warn(
          `an Athens already served ${listen.host}:${listen.port} and was adopted; its download mode cannot be verified`,
          this,
        );
      }
    });
    this.url = athens.url;
    this.goproxy = athens.url;
    this.adopted = athens.adopted.apply((adopted) => adopted === true);
    this.registerOutputs({ url: this.url, goproxy: this.goproxy, adopted: this.adopted });
  }
}
