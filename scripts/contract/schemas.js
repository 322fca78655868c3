// JSON Schema plumbing shared by the AsyncAPI and OpenAPI documents: zod's
// output for the client events' payloads, the generator's definitions moved
// under components/schemas, and each document keeping only what it refers to.
const { z } = require('zod');

/** The JSON Schema of a zod schema, as a client must send it (before any transform). */
function zodSchema(schema) {
  const { $schema, ...json } = z.toJSONSchema(schema, { io: 'input', target: 'draft-7', unrepresentable: 'throw' });
  return json;
}

/** Deep copy with every `#/definitions/X` pointed at `#/components/schemas/X'` (after renaming X). */
function moveRefs(value, rename) {
  if (Array.isArray(value)) return value.map((item) => moveRefs(item, rename));
  if (value === null || typeof value !== 'object') return value;
  const out = {};
  for (const [key, item] of Object.entries(value)) {
    if (key === '$ref' && typeof item === 'string' && item.startsWith('#/definitions/')) {
      out.$ref = `#/components/schemas/${rename(decodeURIComponent(item.slice('#/definitions/'.length)))}`;
    } else out[key] = moveRefs(item, rename);
  }
  return out;
}

/**
 * The generator's definitions under the names the documents use: the virtual
 * aliases renamed by `names` (alias → key), an alias that only points at a
 * named type replaced by that type.
 */
function componentSchemas(definitions, names) {
  const target = (name) => {
    const definition = definitions[name];
    const ref = definition && Object.keys(definition).length === 1 && definition.$ref;
    return ref ? target(decodeURIComponent(ref.slice('#/definitions/'.length))) : name;
  };
  const rename = (name) => {
    const resolved = target(name);
    return names.get(resolved) ?? resolved;
  };
  const schemas = {};
  for (const name of Object.keys(definitions)) {
    if (target(name) !== name) continue;
    if (name.startsWith('__') && !names.has(name)) continue;
    schemas[rename(name)] = moveRefs(definitions[name], rename);
  }
  return { schemas, rename };
}

/** The property descriptions of `described` copied into `schema` where it has none (zod carries no TSDoc). */
function borrowDescriptions(schema, described, schemas) {
  const resolve = (s) => (s && s.$ref ? resolve(schemas[s.$ref.slice('#/components/schemas/'.length)]) : s);
  const source = resolve(described);
  if (!source || !schema.properties || !source.properties) return schema;
  if (!schema.description && source.description) schema.description = source.description;
  for (const [key, property] of Object.entries(schema.properties)) {
    const from = resolve(source.properties[key]);
    if (!from) continue;
    if (!property.description && source.properties[key].description) property.description = source.properties[key].description;
    else if (!property.description && from.description) property.description = from.description;
    if (property.properties) borrowDescriptions(property, from, schemas);
  }
  return schema;
}

/** Every `#/components/schemas/X` reachable from `roots`, each with what it reaches. */
function reachable(roots, schemas) {
  const seen = new Set();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (value === null || typeof value !== 'object') return;
    for (const [key, item] of Object.entries(value)) {
      if (key === '$ref' && typeof item === 'string' && item.startsWith('#/components/schemas/')) {
        const name = item.slice('#/components/schemas/'.length);
        if (!seen.has(name)) {
          seen.add(name);
          visit(schemas[name]);
        }
      } else visit(item);
    }
  };
  visit(roots);
  return seen;
}

/** Only the schemas `document` refers to, sorted by name (a stable file for the staleness check). */
function pruneSchemas(document, schemas) {
  const used = reachable(document, schemas);
  return Object.fromEntries([...used].sort().map((name) => [name, schemas[name]]));
}

const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

module.exports = { zodSchema, componentSchemas, borrowDescriptions, pruneSchemas, ref };
