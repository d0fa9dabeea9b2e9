#!/usr/bin/env node
// The installed `flint` command: runs the bundled CLI (build it with `npm run build`).
import { main } from '../dist/flint.js';

process.exitCode = await main(process.argv.slice(2));
