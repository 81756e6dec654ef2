import { TemplateText } from '../../lib/render/helm/template-text';

describe('TemplateText', () => {
  it('writes an action where its token stands, alone or inside a string', () => {
    const text = new TemplateText({ kind: 'Service' });
    const name = text.action('include "shop.fullname" $');
    expect(text.yaml({ name, url: `http://${name}:8080` })).toBe('name: {{ include "shop.fullname" $ }}\nurl: http://{{ include "shop.fullname" $ }}:8080\n');
  });

  it('picks tokens that none of the stack\'s own strings holds, so that such a string is written as it is', () => {
    // GIVEN a stack whose key and value look like the tokens a plain TemplateText would make
    const stack = { data: { hlmtpl000000x: 'hlmtplq000001x' } };
    const text = new TemplateText(stack);
    // WHEN an action is made and the stack's strings are written beside it
    const token = text.action('$.Release.Name');
    const yaml = text.yaml({ ...stack, name: token });
    // THEN the stack's strings come out as written, and only the token becomes an action
    expect(token).not.toMatch(/^hlmtplq?\d/);
    expect(yaml).toBe('data:\n  hlmtpl000000x: hlmtplq000001x\nname: {{ $.Release.Name }}\n');
  });
});
