export * from './requests';
export * from './events';
export * from './validation';
export * from './wire-codec';
export * from './connection';
export * from './ipc-channels';
export * from './run-spec';
export * from './latent-job';
