import type { ModelArtifacts } from '../dynamics-model';
import { E2cModel } from './e2c-model';
import { readLatentHeader } from './latent-artifacts';
import type { LatentModel } from './latent-model';
import { LatentWorldModel } from './latent-world-model';

/** Loads any saved latent model by the `kind` in its model.json. */
export function loadLatentModel(artifacts: ModelArtifacts): LatentModel {
  const { kind } = readLatentHeader(artifacts);
  if (kind === 'e2c') return E2cModel.load(artifacts);
  return LatentWorldModel.load(artifacts);
}
