// Every example app in one App: `npm run synth` writes each stack to cdk.out/<stack>/.
import { App } from '../lib';
import { defineQuickstart } from './quickstart/app';
import { defineDrm } from './device-remote-management/app';
import { defineParmana } from './parmana/app';
import { defineEscrowgrid } from './escrowgrid/app';
import { defineProject88 } from './project88/app';
import { defineSrvthreds } from './srvthreds/app';

const app = new App();
defineQuickstart(app);
(['dev', 'prod'] as const).forEach((environment) => defineDrm(app, environment));
(['dev', 'prod'] as const).forEach((environment) => defineParmana(app, environment));
(['dev', 'prod'] as const).forEach((environment) => defineEscrowgrid(app, environment));
(['dev', 'prod'] as const).forEach((environment) => defineProject88(app, environment));
(['dev', 'prod'] as const).forEach((environment) => defineSrvthreds(app, environment));
app.synth();
