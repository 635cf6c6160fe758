// Writes docs/coverage/*.md from the code; test/docs/coverage.test.ts fails when they are stale.
import { writeFileSync } from 'node:fs';
import { cloudstackCoverage, ec2Coverage } from '../src/coverage.js';

writeFileSync(new URL('../docs/coverage/cloudstack.md', import.meta.url), cloudstackCoverage());
writeFileSync(new URL('../docs/coverage/ec2.md', import.meta.url), ec2Coverage());
