#!/usr/bin/env node
import '../dist/polystack.mjs';
