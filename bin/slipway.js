#!/usr/bin/env node
"use strict";
// A checkout runs the TypeScript sources through tsx (so a stale lib/ never answers); the installed
// package, which ships no sources, runs its compiled JavaScript (lib/).
const { existsSync } = require("node:fs");
const { join } = require("node:path");
let main;
if (existsSync(join(__dirname, "..", "cli", "main.ts"))) {
  require("tsx/cjs");
  ({ main } = require("../cli/main.ts"));
} else {
  ({ main } = require("../lib/cli/main.js"));
}
const code = main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
// Commands that drive the engine answer with a promise; their errors are already reported as exit codes.
Promise.resolve(code).then(
  (exitCode) => {
    process.exitCode = exitCode;
  },
  (error) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
