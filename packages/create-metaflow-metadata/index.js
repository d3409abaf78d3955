#!/usr/bin/env node
// `npm create metaflow-metadata` installs this package and runs this file; the
// generator and its command line live in generator-metaflow-metadata.
import 'generator-metaflow-metadata/generators/cli.js';
