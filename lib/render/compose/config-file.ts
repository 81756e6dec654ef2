import { MountModel } from '../../model';

type ConfigMount = Extract<MountModel, { kind: 'config' }>;

/**
 * Where a config file is written, relative to the Compose file. Services mount it read-only
 * from there: a bind mount, not a Compose `configs` entry, since docker-compose 1.x ignores
 * `configs` outside a swarm (docs/decisions/0006). The file carries its mode on disk.
 */
export function configFilePath(mount: ConfigMount): string {
  return `config/${mount.name}/${mount.fileName}`;
}
