#!/usr/bin/env node
// Runs the compiled command line; inside a checkout of the repository, runs the TypeScript source.
const fs = require('fs');
const path = require('path');

const source = path.join(__dirname, '..', 'lib', 'cli', 'main.ts');
let cli;
if (fs.existsSync(source)) {
  require('ts-node').register({ transpileOnly: true, project: path.join(__dirname, '..', 'tsconfig.json') });
  cli = require(source);
} else {
  cli = require(path.join(__dirname, '..', 'dist', 'lib', 'cli', 'main.js'));
}
process.exitCode = cli.main(process.argv.slice(2));
