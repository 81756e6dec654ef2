// The public API of cdk-compose, by name: what is not listed here is internal, whatever its
// module exports for the library's own use (the renderers, the command line, the importer).

// The tree: app, stacks, and what synth reports
export { App, type AppProps } from './core/app';
export { CHARTS_CONTEXT, Stack, type HelmChartProps, type IngressControllerSelector, type StackProps } from './core/stack';
export { Annotations, type Annotation } from './core/annotations';
export { Aspects, type IAspect } from './core/aspects';
export { SynthError } from './core/synth-error';
export { synthesize, type AppSynthesis, type StackSynthesis } from './synth/synthesize';
export type { PodSecurityLevel, Target } from './model';

// Values
export { Duration } from './core/duration';
export { Size } from './core/size';
export { Parameter, type ParameterProps } from './core/parameter';
export { Secret, type SecretFromEnvOptions } from './services/secret';
export { Env, EnvConcat, type EnvPiece, type EnvValue } from './services/env-value';
export { EnvFile, ConfigFile } from './services/files';
export { HealthCheck, type HealthCheckOptions, type HttpHealthCheckOptions, type TcpHealthCheckOptions, ProbeTool } from './services/health-check';
export { Logging, type JsonFileLoggingOptions } from './services/logging';
export { Volume, type VolumeProps, Mount, type MountOptions, type MountSpec, type BindOptions, type TmpfsOptions, type HostPathOptions, type ConfigMountOptions } from './services/volume';
export { Network, type NetworkProps } from './services/network';

// Workloads
export { Workload, type WorkloadTraits } from './services/workload';
export type {
  BuildOptions,
  IDependable,
  PortOptions,
  PublicEndpointOptions,
  ResourceAmounts,
  ResourceOptions,
  RestartPolicy,
  SecurityOptions,
  WorkloadDefaults,
  WorkloadOptions,
} from './services/options';
export { Connectable, type ConnectOptions, type IConnectable } from './services/connectable';
export { ContainerService, type ContainerServiceProps } from './services/container-service';
export { WebApp, type WebAppProps } from './services/web-app';
export { Worker, type WorkerProps } from './services/worker';
export { MigrationJob, type MigrationJobProps } from './services/migration-job';
export { StaticSite, type StaticSiteProps } from './services/static-site';
export { BuilderImage, type BuilderImageProps } from './services/builder-image';
export { AgentService, type AgentServiceProps, type AgentHostPath, AgentHostPaths } from './services/agent-service';
export { MailCatcher, type MailCatcherProps, DbAdmin, type DbAdminProps } from './services/dev-tools';
export { TraefikProxy, type TraefikProxyProps, type ProxyRouteOptions, type LetsEncryptOptions } from './services/reverse-proxy';

// Databases and brokers on their official images
export { PostgresService, type PostgresServiceProps } from './services/postgres-service';
export { RedisService, type RedisServiceProps, RedisPersistence } from './services/redis-service';
export { MongoService, type MongoServiceProps } from './services/mongo-service';
export { RabbitMqService, type RabbitMqServiceProps } from './services/rabbitmq-service';
export { OpenSearchService, type OpenSearchServiceProps } from './services/opensearch-service';

// Hardening
export { Hardening, type Acknowledgement } from './hardening/hardening';
export { HARDENING_RULES, type HardeningRule } from './hardening/rules';
export type { Finding } from './hardening/run-rules';

// Testing (also in cdk-compose/testing, with the assertions)
export { Testing } from './testing';
export type { SynthesizedStack } from './testing';
