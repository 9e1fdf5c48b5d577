/** What a SOQL query reads, as far as the policy needs it: objects, and field paths per object. */
export interface SoqlReads {
  /** Objects named in FROM clauses (the query's and its semi-joins'), lower case. */
  objects: Set<string>;
  /** Field references: the object they are on when known (the FROM object), and the path as written. */
  fields: { object?: string; path: string }[];
  /** FIELDS(ALL|STANDARD|CUSTOM) used on these objects (undefined: in a subquery, object unknown). */
  fieldsFunctions: { object?: string }[];
}

type SoqlParser = { parseQuery(soql: string): unknown };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/**
 * Walks the query @jetstreamapp/soql-parser-js parsed. Every `field` anywhere in the tree (SELECT, WHERE,
 * GROUP BY, ORDER BY, HAVING, function parameters, TYPEOF) is a read; a subquery's fields are on a child
 * relationship, whose object is not known without a describe (the guard then matches by field name).
 */
export function soqlReads(parser: SoqlParser, soql: string): SoqlReads {
  const reads: SoqlReads = { objects: new Set(), fields: [], fieldsFunctions: [] };
  const visit = (
    node: unknown,
    object: string | undefined,
    alias: string | undefined,
    depth: number,
  ): void => {
    if (depth > 64) throw new Error('the query is nested too deeply to check');
    if (Array.isArray(node)) {
      for (const item of node) visit(item, object, alias, depth + 1);
      return;
    }
    if (!isRecord(node)) return;
    let here = object;
    let hereAlias = alias;
    if (typeof node.sObject === 'string') {
      here = node.sObject.toLowerCase();
      hereAlias = typeof node.sObjectAlias === 'string' ? node.sObjectAlias.toLowerCase() : undefined;
      reads.objects.add(here);
    } else if (typeof node.relationshipName === 'string') {
      here = undefined;
      hereAlias = undefined;
    }
    const add = (path: string) => {
      const parts = path.split('.');
      // `c.Name` with `FROM Contact c`, or `Contact.Name`: the prefix is the object itself.
      if (parts.length > 1 && (parts[0]!.toLowerCase() === hereAlias || parts[0]!.toLowerCase() === here))
        parts.shift();
      reads.fields.push({ ...(here && parts.length === 1 ? { object: here } : {}), path: parts.join('.') });
    };
    if (node.functionName === 'FIELDS') reads.fieldsFunctions.push(here ? { object: here } : {});
    if (typeof node.rawValue === 'string' && Array.isArray(node.relationships)) add(node.rawValue);
    else if (typeof node.field === 'string') add(node.field);
    if (Array.isArray(node.fieldList) && typeof node.field === 'string')
      for (const item of node.fieldList) if (typeof item === 'string') add(`${node.field}.${item}`);
    if (Array.isArray(node.parameters) && node.functionName !== 'FIELDS')
      for (const item of node.parameters)
        if (typeof item === 'string' && /^[A-Za-z][\w.]*$/.test(item)) add(item);
    for (const [key, value] of Object.entries(node)) {
      if (key === 'fieldList' || (key === 'parameters' && node.functionName === 'FIELDS')) continue;
      if (isRecord(value)) visit(value, here, hereAlias, depth + 1);
    }
  };
  visit(parser.parseQuery(soql), undefined, undefined, 0);
  return reads;
}
