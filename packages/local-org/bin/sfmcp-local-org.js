#!/usr/bin/env node
// A committed file (not in dist/), so installing the package can link the bin before it is built.
import './node-check.js';

await import('../dist/bin.js');
