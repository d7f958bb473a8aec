/**
 * The planner's ceiling on a task: MPC with the true simulator as the model (SimulatorRollout), so the
 * only shortfall left is the planner's. By hand, not part of `npm run bench` (it is a result, not a
 * speed): `npx tsx bench/oracle-ceiling.ts [task] [population] [iterations] [horizon] [seed]`, e.g.
 * `npx tsx bench/oracle-ceiling.ts cartpole 200 4 20` for the planner of pets-cartpole.json.
 * Prints the episode return; docs/RESULTS.md quotes it beside the learned models.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chooseBackend } from '../src-main/engine/tf-backend';
import { SimulatorRollout, makeMujocoEnv } from '../src-main/mbrl/env';
import { CemOptimizer, simulatorObjective } from '../src-main/mbrl/planning';

const [task = 'cartpole', population = '200', iterations = '4', horizon = '20', seed = '0'] = process.argv.slice(2);
const H = Number(horizon);
const modelsDir = fileURLToPath(new URL('../resources/models/', import.meta.url));
await chooseBackend('cpu');
const env = await makeMujocoEnv(task, (f) => readFile(modelsDir + f, 'utf8'));
const simulator = new SimulatorRollout(env);
const cem = new CemOptimizer(
  { horizon: H, population: Number(population), iterations: Number(iterations), eliteFraction: 0.1, alpha: 0.1, seed: Number(seed) },
  { low: env.actionSpace.low, high: env.actionSpace.high },
);
const A = env.actionSpace.size;
const started = performance.now();
let total = 0;
let plan: Float32Array = new Float32Array(H * A);
env.reset(Number(seed));
for (let t = 0; ; t++) {
  plan = await cem.optimize(simulatorObjective(simulator), plan);
  const step = env.step(plan.slice(0, A));
  total += step.reward;
  // Warm start: the rest of this plan, then zeros (as the MPC agent does).
  plan = Float32Array.from({ length: H * A }, (_, i) => (i + A < H * A ? plan[i + A] : 0));
  if (step.terminated || step.truncated) break;
  if (t % 50 === 0) console.log(`step ${t}: return so far ${total.toFixed(1)}`);
}
console.log(`${task}: return ${total.toFixed(2)} with the true simulator (CEM ${population}×${iterations}, horizon ${H}, seed ${seed}) in ${((performance.now() - started) / 1000).toFixed(0)} s`);
simulator.dispose();
env.dispose();
