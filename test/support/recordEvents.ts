// Re-records the engine-event fixtures (test/golden/events-*.json) from the current program: the local stack
// in a fresh checkout, through the real engine, BuildKit, a registry and Athens of its own ports.
//   npm run golden:events        (needs scripts/toolchain.sh start; takes minutes)
// Each step is a preview or up through the Automation API; its events are kept in order, without debug lines
// and `__provider` code, with the checkout's path and the ports replaced by fixed ones.
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { freePort, startRegistry } from "./registry";
import { Checkout } from "../e2e/support/project";

const GOLDEN = join(__dirname, "..", "golden");
const RECORDED_ROOT = "/tmp/slipway-recorded";
const RECORDED_REGISTRY_PORT = 5000;
const RECORDED_ATHENS_PORT = 3000;

interface Ports {
  readonly registry: number;
  readonly athens: number;
}

/** Machine-specific text (the checkout's temporary root, the ports) becomes the fixed recorded values. */
export function normaliseText(text: string, root: string, ports: Ports): string {
  const port = (from: number, to: number) => (t: string) =>
    t
      .replace(new RegExp(`127\\.0\\.0\\.1:${from}\\b`, "g"), `127.0.0.1:${to}`)
      .replace(new RegExp(`(\\\\?"port\\\\?":)${from}\\b`, "g"), `$1${to}`);
  return [port(ports.registry, RECORDED_REGISTRY_PORT), port(ports.athens, RECORDED_ATHENS_PORT)].reduce(
    (t, replace) => replace(t),
    text.split(root).join(RECORDED_ROOT),
  );
}

function withoutProviderCode(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutProviderCode);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([key]) => key !== "__provider")
        .map(([key, v]) => [key, withoutProviderCode(v)]),
    );
  }
  return value;
}

/** The event log's events, in order, as the fixtures keep them. */
export function fixtureEvents(eventLog: string, root: string, ports: Ports): unknown[] {
  return eventLog
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(normaliseText(line, root, ports)) as { diagnosticEvent?: { severity?: string } })
    .filter((event) => event.diagnosticEvent?.severity !== "debug")
    .map(withoutProviderCode);
}

async function main(): Promise<void> {
  const project = new Checkout(randomBytes(16).toString("hex"));
  const root = dirname(project.dir);
  const registry = await startRegistry();
  const ports: Ports = { registry: registry.port, athens: await freePort() };
  // The Automation API's onEvent, as slipway's CLI records them (this CLI build has no --event-log flag).
  const step = async (fixture: string, command: "preview" | "up") => {
    const stack = await LocalWorkspace.selectStack({ stackName: "local", workDir: project.dir }, { envVars: project.env });
    const lines: string[] = [];
    const onEvent = (event: unknown) => lines.push(JSON.stringify(event));
    if (command === "preview") await stack.preview({ onEvent, color: "never" });
    else await stack.up({ onEvent, color: "never" });
    const events = fixtureEvents(lines.join("\n"), root, ports);
    writeFileSync(join(GOLDEN, `events-${fixture}.json`), `${JSON.stringify(events, null, 1)}\n`);
    process.stderr.write(`recorded events-${fixture}.json (${events.length} events)\n`);
  };
  const release = (version: string, commit: string) => {
    project.ok("config", "set", "--stack", "local", "slipway:version", version);
    project.ok("config", "set", "--stack", "local", "slipway:commit", commit);
  };
  try {
    project.ok("stack", "init", "local", "--secrets-provider", "passphrase");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:registries[0].address", registry.address);
    project.ok("config", "set", "--stack", "local", "--path", "slipway:athens.port", String(ports.athens), "--type", "int");
    release("1.4.0", "5a8b7c3d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b");
    await step("preview-create", "preview");
    await step("up-1.4.0", "up");
    const outputs = JSON.parse(project.ok("stack", "output", "--stack", "local", "--json")) as Record<string, unknown>;
    const kept = { assets: outputs.assets, tags: outputs.tags, location: outputs.location };
    writeFileSync(join(GOLDEN, "events-up-1.4.0-outputs.json"), `${normaliseText(JSON.stringify(kept, null, 1), root, ports)}\n`);
    await step("preview-nochange", "preview");
    release("1.4.1", "141c0ffee141c0ffee141c0ffee141c0ffee1410");
    project.ok("config", "set", "--stack", "local", "--path", "slipway:rotation.generation", "2", "--type", "int");
    await step("preview-1.4.1", "preview");
  } finally {
    project.pulumi("destroy", "--stack", "local", "--yes");
    await registry.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
