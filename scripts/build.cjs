#!/usr/bin/env node
"use strict";
// Compiles slipway's TypeScript into lib/ with tsc (incremental), the JavaScript an installed slipway runs
// and this repository's own stacks run too (scripts/program.cjs). `node scripts/build.cjs` always builds;
// buildIfStale() builds only when a source or tsconfig is newer than the last build, so an edited checkout
// never runs a stale lib/ and an unchanged one pays a few stat calls.
const { execFileSync } = require("node:child_process");
const { existsSync, readFileSync, readdirSync, statSync, utimesSync, writeFileSync } = require("node:fs");
const path = require("node:path");

/** @param {string[]} parts */
const join = (...parts) => path.join(...parts);

const ROOT = join(__dirname, "..");
const CONFIG = "tsconfig.build.json";
/** Written after each successful build, dated when that build started. */
const STAMP = join("lib", ".build-stamp");

/**
 * The files tsc compiles (tsconfig.build.json's include: files and `dir/**\/*.ts` globs) and the configs it reads.
 * @param {string} root
 * @returns {string[]}
 */
function sourceFiles(root) {
  const parsed = /** @type {unknown} */ (JSON.parse(readFileSync(join(root, CONFIG), "utf8")));
  const config = /** @type {{ include: string[]; extends?: string }} */ (parsed);
  const files = [join(root, CONFIG), ...(config.extends === undefined ? [] : [join(root, config.extends)])];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.name.endsWith(".ts")) files.push(file);
    }
  };
  for (const pattern of config.include) {
    const glob = /^([^*]+)\/\*\*\/\*\.ts$/.exec(pattern);
    if (glob !== null) {
      const dir = join(root, /** @type {string} */ (glob[1]));
      if (existsSync(dir)) walk(dir);
    } else if (!pattern.includes("*")) files.push(join(root, pattern));
    else throw new Error(`${CONFIG}: include pattern ${pattern} is neither a file nor dir/**/*.ts`);
  }
  return files;
}

/**
 * Why lib/ must be built: the first source newer than the last build, or no build at all; undefined when lib/ is current.
 * @param {string} [root]
 * @returns {string | undefined}
 */
function staleReason(root = ROOT) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !existsSync(join(root, "lib", "program.js"))) return "lib/ has not been built";
  const built = statSync(stamp).mtimeMs;
  for (const file of sourceFiles(root)) {
    if (statSync(file).mtimeMs > built) return `${file.slice(root.length + 1)} is newer than lib/`;
  }
  return undefined;
}

/** @param {string} [root] */
function build(root = ROOT) {
  const started = new Date();
  const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
  try {
    execFileSync(process.execPath, [tsc, "-p", CONFIG], { cwd: root, stdio: "inherit" });
  } catch {
    throw new Error(`slipway's TypeScript does not compile (tsc -p ${CONFIG}, errors above): fix them, then run again`);
  }
  if (existsSync(join(root, "providers")))
    execFileSync(process.execPath, [join(__dirname, "serializeProviders.cjs"), root], { cwd: root, stdio: "inherit" });
  writeFileSync(join(root, STAMP), "");
  utimesSync(join(root, STAMP), started, started);
}

/**
 * Builds lib/ when it is missing or older than a source; a directory without sources (the installed package) is left
 * alone. Returns whether it built.
 * @param {string} [root]
 */
function buildIfStale(root = ROOT) {
  if (!existsSync(join(root, "program.ts"))) return false;
  if (staleReason(root) === undefined) return false;
  build(root);
  return true;
}

module.exports = { build, buildIfStale, staleReason, sourceFiles, STAMP };

if (require.main === module) {
  try {
    build();
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
