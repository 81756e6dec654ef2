// Every example app in one App: `npm run synth` writes each stack to cdk.out/<stack>/.
import { App } from '../lib';
import { defineQuickstart } from './quickstart/app';

const app = new App();
defineQuickstart(app);
app.synth();
