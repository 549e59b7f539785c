// Runs program.ts under Pulumi mocks with a stack file's config and prints every declared resource and its
// inputs as canonical JSON. test/program.stacks.test.ts runs it twice per stack and compares with a golden file.
//   node --import tsx test/support/stackSnapshot.ts <stack> [key=value ...]
// SLIPWAY_SNAPSHOT_REMEMBERED (JSON) is what the stack's own StackReference answers: its last releases and plan.
import * as pulumi from "@pulumi/pulumi";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { canonicalJson } from "../../plan/canonicalJson";
import { Registration, recordRegistrations, settle } from "./mocks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const yaml = require("js-yaml") as { load(text: string): unknown };

const PROJECT = join(__dirname, "..", "..");
const DIGEST = `sha256:${"d".repeat(64)}`;
export const SNAPSHOT_MARKER = "----- declared resources -----";

/** The secret settings a stack's registries and GitHub release name. */
function secretSettings(config: Record<string, string>): string[] {
  const registries = JSON.parse(config["slipway:registries"] ?? "[]") as { passwordSecret?: string }[];
  const github = config["slipway:github"] === undefined ? undefined : (JSON.parse(config["slipway:github"]) as { tokenSecret?: string });
  return [
    ...registries.flatMap((r) => (r.passwordSecret === undefined ? [] : [r.passwordSecret])),
    ...(github === undefined ? [] : [github.tokenSecret ?? "githubToken"]),
  ];
}

/** What the providers would answer, derived from the inputs: mocks apply no provider logic. */
export function providerOutputs(r: Registration): Record<string, unknown> {
  const name = typeof r.inputs.name === "string" ? r.inputs.name : r.name;
  if (r.type === "aws:ecr/repository:Repository") {
    return {
      repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}`,
      arn: `arn:aws:ecr:us-east-1:123456789012:repository/${name}`,
    };
  }
  // The stack's own last outputs (releases, releasePlan): SLIPWAY_SNAPSHOT_REMEMBERED, JSON; none by default.
  if (r.type === "pulumi:pulumi:StackReference") return { outputs: JSON.parse(process.env.SLIPWAY_SNAPSHOT_REMEMBERED ?? "{}") as unknown };
  if (r.type.endsWith(":LocalAthens"))
    return {
      url: `http://127.0.0.1:${typeof r.inputs.port === "number" ? r.inputs.port : 3000}`,
      healthy: true,
      pid: 4242,
      adopted: false,
      managed: true,
    };
  if (r.type.endsWith(":GoBuild")) {
    const outputDir = String(r.inputs.outputDir);
    const names = [...(r.inputs.checksumOrder as string[]), String(r.inputs.checksumsFile)];
    return {
      files: Object.fromEntries(names.map((n) => [n, { path: `${outputDir}/${n}`, sha256: "a".repeat(64), size: 1 }])),
      binaries: Object.fromEntries(
        (r.inputs.targets as { file: string }[]).map((t) => [t.file, { path: `${outputDir}/${t.file}`, sha256: "a".repeat(64), size: 1 }]),
      ),
      imageContext: `${outputDir}/image`,
      modules: ["github.com/google/uuid@v1.6.0"],
      compileIsolation: "unshare --net",
    };
  }
  if (r.type === "docker-build:index:Image") return { digest: `sha256:${"e".repeat(64)}` };
  if (r.type.endsWith(":ImageIndex")) return { digest: DIGEST };
  if (r.type.endsWith(":RegistryTag")) return { platforms: { "linux/amd64": DIGEST }, previousDigest: null };
  if (r.type.endsWith(":CosignKeyPair"))
    return { publicKey: `PUBLIC KEY ${String(r.inputs.rotationKey)}\n`, privateKey: "PRIVATE KEY (mock)", password: "PASSWORD (mock)" };
  if (r.type.endsWith(":SbomFile") || r.type.endsWith(":TextFile")) return { sha256: "b".repeat(64), size: 1 };
  if (r.type.endsWith(":CosignSignature")) return { adopted: false, bundleSha256: "c".repeat(64), bundleSize: 1 };
  if (r.type.endsWith(":LocalRelease"))
    return { directory: `${String(r.inputs.root)}/${String(r.inputs.version)}`, published: {}, adopted: false };
  return {};
}

/** Answers for the invokes the program makes. */
export const PROVIDER_INVOKES: ReadonlyMap<string, Record<string, unknown>> = new Map([
  [
    "aws:ecr/getAuthorizationToken:getAuthorizationToken",
    {
      userName: "AWS",
      password: "ecr-token",
      proxyEndpoint: "https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
      authorizationToken: "x",
      expiresAt: "2026-11-21T10:00:00Z",
      id: "us-east-1",
    },
  ],
]);

export function stackConfig(stack: string, overrides: readonly string[]): Record<string, string> {
  const file = yaml.load(readFileSync(join(PROJECT, "stacks", `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(file.config)) config[key] = typeof value === "string" ? value : JSON.stringify(value);
  for (const pair of overrides) {
    const at = pair.indexOf("=");
    config[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return config;
}

/** Machine-specific values (the checkout's path, the Go toolchain) become stable markers. */
function normalise(value: unknown): unknown {
  if (typeof value === "string")
    return value
      .split(PROJECT)
      .join("<project>")
      .replace(/\bgo1\.\d+(\.\d+)?\b/g, "<go version>");
  if (Array.isArray(value)) return value.map(normalise);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "__provider" ? "<serialised provider>" : normalise(v)]));
  }
  return value;
}

/** Every registration so far, also reported when the program fails (bad input must register nothing). */
let registrations: Registration[] = [];
/** Registrations and invokes in the order the monitor got them; SLIPWAY_SNAPSHOT_SEQUENCE=1 prints it to stderr. */
const sequence: string[] = [];

function printSequence(): void {
  if (process.env.SLIPWAY_SNAPSHOT_SEQUENCE === "1") process.stderr.write(`sequence: ${JSON.stringify(sequence)}\n`);
}

async function main(): Promise<void> {
  const [stack = "local", ...overrides] = process.argv.slice(2);
  registrations = await recordRegistrations({
    project: "slipway",
    stack,
    invokes: PROVIDER_INVOKES,
    outputs: providerOutputs,
    sequence,
  });
  const config = stackConfig(stack, overrides);
  // The stack's own secret settings get a stand-in value, stored as secrets as `pulumi config set --secret` would.
  // SLIPWAY_SNAPSHOT_SECRETS=none leaves credentials exactly as the overrides set them (bad-input tests).
  const secrets = process.env.SLIPWAY_SNAPSHOT_SECRETS === "none" ? [] : secretSettings(config).map((s) => `slipway:${s}`);
  for (const key of secrets) config[key] = "test-credential";
  pulumi.runtime.setAllConfig(config, secrets);
  process.chdir(PROJECT);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const program = require("../../program") as () => Promise<unknown>;
  await program();
  await settle();
  await new Promise((r) => setTimeout(r, 500));
  const resources = registrations
    .map((r) => ({
      type: r.type,
      name: r.name,
      inputs: normalise(r.inputs),
      ...(r.options.ignoreChanges.length === 0 ? {} : { ignoreChanges: r.options.ignoreChanges }),
    }))
    .sort((a, b) => (a.type + a.name < b.type + b.name ? -1 : a.type + a.name > b.type + b.name ? 1 : 0));
  // Under mocks, pulumi.log writes to stdout too; the snapshot follows a marker line.
  process.stdout.write(`${SNAPSHOT_MARKER}\n${canonicalJson(resources)}\n`);
  printSequence();
}

if (require.main === module) {
  main().catch(async (error: unknown) => {
    await settle();
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\nregistered: ${registrations.length}\n`);
    printSequence();
    process.exit(1);
  });
}
