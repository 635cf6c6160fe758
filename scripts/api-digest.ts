// Run by scripts/bundle.mjs: prints the digest of the CloudStack API spec (src/cloudstack/spec.ts) that the
// bundle carries in place of the 4 MB listApis dump it would otherwise parse at the first request.
import { allApiDocs, digestApis } from '../src/cloudstack/spec.js';

process.stdout.write(JSON.stringify(digestApis(allApiDocs())));
