import { spawn } from "node:child_process";
import { performance } from "node:perf_hooks";

/** Runs a command to completion and returns its wall time in seconds; a failure throws with the output's tail. */
export async function timed(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): Promise<number> {
  const start = performance.now();
  const child = spawn(command, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  if (code !== 0) throw new Error(`${command} ${args.join(" ")} exited ${code}:\n${output.slice(-4000)}`);
  return (performance.now() - start) / 1000;
}
