import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers.js';

export interface BigProject {
  dir: string;
  files: number;
  classes: number;
  components: number;
  resources: number;
}

const META = (type: string, body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<${type} xmlns="http://soap.sforce.com/2006/04/metadata">\n${body}\n</${type}>\n`;

/**
 * A DX project of `classes` Apex classes (each with SOQL in a loop), `components` LWCs (every other one writes
 * innerHTML) and `resources` static resources, with their meta files: 2·classes + 3·components + 2·resources
 * files in all.
 */
export function generateBigProject({ classes = 120, components = 80, resources = 20 } = {}): BigProject {
  const dir = tempDir('sfmcp-code-analysis-big-');
  const base = join(dir, 'force-app', 'main', 'default');
  writeFileSync(
    join(dir, 'sfdx-project.json'),
    JSON.stringify({ packageDirectories: [{ path: 'force-app', default: true }], sourceApiVersion: '62.0' }),
  );
  mkdirSync(join(base, 'classes'), { recursive: true });
  for (let index = 0; index < classes; index++) {
    const name = `Service${String(index).padStart(3, '0')}`;
    writeFileSync(
      join(base, 'classes', `${name}.cls`),
      [
        `public with sharing class ${name} {`,
        `    public static Integer count${index}(List<Id> ids) {`,
        '        Integer total = 0;',
        '        for (Id accountId : ids) {',
        '            total += [SELECT COUNT() FROM Contact WHERE AccountId = :accountId];',
        '        }',
        '        return total;',
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(base, 'classes', `${name}.cls-meta.xml`),
      META('ApexClass', '    <apiVersion>62.0</apiVersion>\n    <status>Active</status>'),
    );
  }
  for (let index = 0; index < components; index++) {
    const name = `widget${String(index).padStart(3, '0')}`;
    const folder = join(base, 'lwc', name);
    mkdirSync(folder, { recursive: true });
    const body =
      index % 2 === 0
        ? `        this.template.querySelector('div').innerHTML = this.label;`
        : `        this.template.querySelector('div').textContent = this.label;`;
    writeFileSync(
      join(folder, `${name}.js`),
      [
        "import { LightningElement, api } from 'lwc';",
        '',
        `export default class Widget${index} extends LightningElement {`,
        '    @api label;',
        '',
        '    renderedCallback() {',
        body,
        '    }',
        '}',
        '',
      ].join('\n'),
    );
    writeFileSync(join(folder, `${name}.html`), '<template>\n    <div></div>\n</template>\n');
    writeFileSync(
      join(folder, `${name}.js-meta.xml`),
      META('LightningComponentBundle', '    <apiVersion>62.0</apiVersion>\n    <isExposed>false</isExposed>'),
    );
  }
  mkdirSync(join(base, 'staticresources'), { recursive: true });
  for (let index = 0; index < resources; index++) {
    const name = `lib${String(index).padStart(3, '0')}`;
    writeFileSync(
      join(base, 'staticresources', `${name}.js`),
      `window.lib${index} = function () { return ${index}; };\n`,
    );
    writeFileSync(
      join(base, 'staticresources', `${name}.resource-meta.xml`),
      META(
        'StaticResource',
        '    <cacheControl>Private</cacheControl>\n    <contentType>application/javascript</contentType>',
      ),
    );
  }
  return { dir, files: 2 * classes + 3 * components + 2 * resources + 1, classes, components, resources };
}
