// The TypeScript half of the contract: reads the event maps of
// src/protocol/events.ts (names, TSDoc, payload and acknowledgement types) and
// turns every wire type into JSON Schema with ts-json-schema-generator.
//
// The event maps hold function types, which the generator cannot take apart,
// so a virtual module is compiled beside events.ts: the file's own text (every
// name it imports stays in scope) followed by one alias per payload and per
// acknowledgement, spelled with the type text of the map's member. Nothing is
// written to disk.
const path = require('node:path');
const ts = require('typescript');
const tsj = require('ts-json-schema-generator');

const EVENT_MAPS = { client: 'ClientToServerEvents', server: 'ServerToClientEvents' };

/** The text of a member's last TSDoc block (an earlier one above it is stale), or undefined. */
function docOf(node) {
  const blocks = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = blocks[blocks.length - 1];
  const text = last && ts.getTextOfJSDocComment(last.comment);
  return text ? text.trim() : undefined;
}

const aliasName = (side, event, part) => `__${side}_${event.replace(/[^A-Za-z0-9]/g, '_')}_${part}`;

/** Every member of both event maps: its name, TSDoc, and the aliases of its payload and ack. */
function readEventMaps(source) {
  const events = { client: [], server: [] };
  const aliases = [];
  for (const statement of source.statements) {
    if (!ts.isInterfaceDeclaration(statement)) continue;
    const side = Object.keys(EVENT_MAPS).find((key) => EVENT_MAPS[key] === statement.name.text);
    if (!side) continue;
    for (const member of statement.members) {
      if (!ts.isPropertySignature(member) || !member.type || !ts.isFunctionTypeNode(member.type)) {
        throw new Error(`${statement.name.text}: every member must be a function type`);
      }
      const name = member.name.text;
      const [payload, ack] = member.type.parameters;
      const event = { name, description: docOf(member), payload: aliasName(side, name, 'payload') };
      aliases.push(`export type ${event.payload} = ${payload.type.getText(source)};`);
      if (side === 'client' && ack) {
        const body = ack.type.typeArguments?.[0];
        event.ack = aliasName(side, name, 'ack');
        event.ackDescription = docOf(ack);
        aliases.push(`export type ${event.ack} = { ok: true }${body ? ` & ${body.getText(source)}` : ''};`);
      }
      events[side].push(event);
    }
  }
  return { events, aliases };
}

/**
 * @param {string} root the repository
 * @param {string[]} namedTypes further exported protocol types to describe (HTTP bodies, …)
 * @returns {{ events: object, definitions: Record<string, object> }}
 */
function readWireTypes(root, namedTypes) {
  const protocolDir = path.join(root, 'src', 'protocol');
  const eventsFile = path.join(protocolDir, 'events.ts');
  const virtualFile = path.join(protocolDir, '__contract__.ts');
  const eventsText = ts.sys.readFile(eventsFile);
  const parsed = ts.createSourceFile(eventsFile, eventsText, ts.ScriptTarget.ES2022, true);
  const { events, aliases } = readEventMaps(parsed);
  const text = [
    eventsText,
    'export type __ack_error = Exclude<Ack, { ok: true }>;',
    ...aliases,
  ].join('\n');

  const options = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    skipLibCheck: true,
    noEmit: true,
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (file, language, ...rest) =>
    file === virtualFile ? ts.createSourceFile(file, text, language, true) : getSourceFile.call(host, file, language, ...rest);
  host.fileExists = (file) => file === virtualFile || fileExists.call(host, file);
  host.readFile = (file) => (file === virtualFile ? text : readFile.call(host, file));
  const indexFile = path.join(protocolDir, 'index.ts');
  const program = ts.createProgram([virtualFile, indexFile], options, host);
  const problems = ts.getPreEmitDiagnostics(program);
  if (problems.length > 0) {
    throw new Error(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n')).join('\n'));
  }

  const config = {
    path: virtualFile,
    expose: 'export',
    jsDoc: 'extended',
    topRef: true,
    sortProps: true,
    skipTypeCheck: true,
    additionalProperties: false,
    functions: 'fail',
  };
  const generator = new tsj.SchemaGenerator(program, tsj.createParser(program, config), tsj.createFormatter(config), config);
  const virtual = program.getSourceFile(virtualFile);
  const roots = virtual.statements.filter((s) => ts.isTypeAliasDeclaration(s) && s.name.text.startsWith('__'));
  const checker = program.getTypeChecker();
  const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(indexFile)));
  for (const name of namedTypes) {
    const symbol = exported.find((s) => s.name === name);
    if (!symbol) throw new Error(`src/protocol exports no type ${name}`);
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    roots.push(target.declarations[0]);
  }
  const { definitions } = generator.createSchemaFromNodes(roots);
  return { events, definitions };
}

module.exports = { readWireTypes };
