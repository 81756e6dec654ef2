import { App } from '../../lib';
import { defineDrm } from '../../examples/device-remote-management/app';
import { defineEscrowgrid } from '../../examples/escrowgrid/app';
import { defineParmana } from '../../examples/parmana/app';
import { defineProject88 } from '../../examples/project88/app';
import { defineQuickstart } from '../../examples/quickstart/app';
import { defineSrvthreds } from '../../examples/srvthreds/app';

/** Every example stack, as examples/main.ts (`npm run synth`) defines them. */
export function defineExamples(app: App): void {
  defineQuickstart(app);
  for (const environment of ['dev', 'prod'] as const) {
    defineDrm(app, environment);
    defineParmana(app, environment);
    defineEscrowgrid(app, environment);
    defineProject88(app, environment);
    defineSrvthreds(app, environment);
  }
}
