import { z } from 'zod';
import { PlanSpec, ValidationResult, CostDigest } from './contracts/index.js';
import { IntentBody } from './src/api/api-schemas.js';
for (const [n, s] of Object.entries({ IntentBody, ValidationResult, CostDigest, PlanSpec })) {
  try {
    const zs = z.fromJSONSchema(JSON.parse(JSON.stringify(s)));
    const back = z.toJSONSchema(zs);
    console.log(n, 'ok', JSON.stringify(back).length, JSON.stringify(s).length);
    if (n === 'IntentBody') { console.log(JSON.stringify(back)); console.log(zs.safeParse({nl:'x', extra:1}).success, zs.safeParse({nl:''}).success, zs.safeParse({nl:'a', target:'mars'}).success, zs.safeParse({nl:'a', stack:'ok-1'}).success); }
  } catch (e) { console.log(n, 'fail', (e as Error).message); }
}
