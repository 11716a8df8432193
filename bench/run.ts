import { benchBus } from './bus.js';
import { privateRedis } from './private-redis.js';
import { benchSentinel } from './sentinel.js';
import { benchOrchestration } from './orchestration.js';
import { benchSlack } from './slack.js';
import { benchCli } from './cli.js';
import { benchScale } from './scale.js';
import { benchAuthz } from './authz.js';
import { benchAtlas } from './atlas.js';

// `npm run bench`: every figure is printed next to a baseline measured in the same run,
// as a ratio, because absolute numbers on shared machines are noise.

const only = process.argv.slice(2);
const want = (name: string) => only.length === 0 || only.includes(name);
const redis = await privateRedis();
try {
  // First, so its idle RSS is the crew's own and not what earlier benchmarks left behind.
  if (want('orchestration'))
    console.log(`\n# orchestration overhead and memory\n${await benchOrchestration(redis.url)}`);
  if (want('cli')) console.log(`\n# cli: what a person waits for at a terminal\n${await benchCli(redis.url)}`);
  if (want('bus')) console.log(`\n# bus: publish → consume → ack\n${await benchBus(redis.url)}`);
  if (want('atlas')) console.log(`\n# atlas: reading a goal in a running crew\n${benchAtlas()}`);
  if (want('sentinel'))
    console.log(`\n# sentinel: plans of 5,000 and 10,000 resource changes\n${await benchSentinel()}`);
  if (want('slack'))
    console.log(
      `\n# slack: ack latency of 100 concurrent /plan commands over signed HTTP\n${await benchSlack(redis.url)}`,
    );
  if (want('authz')) console.log(`\n# authz: policy evaluation per request (who may do what)\n${await benchAuthz()}`);
  if (want('scale')) console.log(`\n# scale: crew worker processes on one Redis\n${await benchScale()}`);
} finally {
  redis.stop();
}
