export * from './env';
export * from './health-check';
export * from './stack-model';
export * from './storage';
export * from './workload';
