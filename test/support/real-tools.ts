// The real-tool checks live in the library (`cdk-compose validate` runs them too); tests use them from here.
export * from '../../lib/validate/real-tools';
