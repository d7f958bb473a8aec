import * as tf from '@tensorflow/tfjs-core';
import type { SimulatorRollout } from '../env/simulator-rollout';
import type { Objective } from './optimizer';

/**
 * The planning objective "return in the true simulator" from the env's current state: the perfect-model
 * baseline beside learned models. actions [N, H, A] → returns [N]; reads the candidates back to the CPU
 * because MuJoCo steps there.
 */
export function simulatorObjective(simulator: SimulatorRollout): Objective {
  return (actions) => {
    const [n, horizon] = actions.shape;
    return tf.tensor1d(simulator.returns(actions.dataSync() as Float32Array, n, horizon));
  };
}
