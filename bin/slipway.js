#!/usr/bin/env node
"use strict";
// Runs the TypeScript CLI through tsx, so a fresh clone needs only `npm ci`.
require("tsx/cjs");
const { main } = require("../cli/main.ts");
process.exitCode = main(process.argv.slice(2), {
  cwd: process.cwd(),
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
