import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FIXTURE, filesUnder } from './helpers.js';

const APEX_PAGE = (label: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ApexPage xmlns="http://soap.sforce.com/2006/04/metadata">\n    <apiVersion>62.0</apiVersion>\n    <label>${label}</label>\n</ApexPage>\n`;
const VALUE_SET = (values: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<GlobalValueSet xmlns="http://soap.sforce.com/2006/04/metadata">\n${values
    .map(
      (value) =>
        `    <customValue>\n        <fullName>${value}</fullName>\n        <default>false</default>\n        <label>${value}</label>\n    </customValue>\n`,
    )
    .join('')}    <masterLabel>Sizes</masterLabel>\n    <sorted>false</sorted>\n</GlobalValueSet>\n`;

/**
 * A real-world-sized DX project in `dir`: the fixture project (Apex, triggers, an object with fields, LWC and
 * Aura bundles, a layout, tab, flexipage, permission set, static resource, labels, a report) repeated `copies`
 * times under other names, plus Visualforce pages and a global value set.
 */
export function generateWideProject(dir: string, copies = 16): { components: number } {
  const source = filesUnder(FIXTURE);
  let components = 0;
  const write = (path: string, content: string | Buffer) => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  for (const [path, content] of source) write(path, content);
  for (let copy = 1; copy < copies; copy++) {
    for (const [path, content] of source) {
      // One CustomLabels file and one report folder per project: those stay with the original.
      if (/\/(labels|reports)\//.test(path) || path === 'sfdx-project.json') continue;
      const rename = (text: string) =>
        text.replace(/Invoice/g, `Item${copy}`).replace(/invoice/g, `item${copy}`);
      write(
        rename(path),
        /\.(xml|cls|trigger|js|html|cmp|css)$/.test(path) ? rename(content.toString('utf8')) : content,
      );
    }
  }
  for (let page = 0; page < 10; page++) {
    write(
      `force-app/main/default/pages/Page${page}.page`,
      `<apex:page>\n    <h1>Page ${page}</h1>\n</apex:page>\n`,
    );
    write(`force-app/main/default/pages/Page${page}.page-meta.xml`, APEX_PAGE(`Page ${page}`));
  }
  write(
    'force-app/main/default/globalValueSets/Sizes.globalValueSet-meta.xml',
    VALUE_SET(['Small', 'Medium', 'Large']),
  );
  // Per copy: object, 5 fields, 2 classes, trigger, LWC, Aura, layout, tab, flexipage, permission set, static resource.
  components = copies * 16 + 3 /* labels, report folder, report */ + 10 + 1;
  return { components };
}
