/**
 * The package `parley` exports the wire protocol: a TypeScript client writes
 * `import type { ClientToServerEvents } from 'parley'`. Compiles such a client
 * against the entry package.json names (src/index.ts, built to dist/index.*),
 * and checks that every name of src/protocol reaches it.
 */
import { readFileSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import ts from 'typescript';

const ROOT = resolvePath(__dirname, '../..');
const CLIENT = join(ROOT, 'test/unit/parley-client.virtual.ts');
const CLIENT_TEXT = `
import type { Ack, ClientToServerEvents, HandshakeAuth, ReportGroup, ServerToClientEvents } from 'parley';
import { ERROR_CODES, type ErrorCode } from 'parley';

const auth: HandshakeAuth = { token: 't', lastSeenId: 'm1' };
const onMatched: ServerToClientEvents['matched'] = ({ roomId, commonInterests, startedAt }) => void [roomId, commonInterests, startedAt];
const find: Parameters<ClientToServerEvents['find-match']>[0] = { interests: ['chess'] };
const ack: Ack<{ reportId: string }> = { ok: false, error: { code: 'RATE_LIMITED', message: 'wait' } };
const code: ErrorCode = ERROR_CODES[0];
const group: Pick<ReportGroup, 'targetId'> = { targetId: 'u' };
export { auth, onMatched, find, ack, code, group };
`;

/** The source file package.json's `types` is built from, by tsconfig.build.json. */
function entrySource(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string; types: string };
  const build = JSON.parse(readFileSync(join(ROOT, 'tsconfig.build.json'), 'utf8')) as { compilerOptions: { rootDir: string; outDir: string } };
  const { rootDir, outDir } = build.compilerOptions;
  expect(pkg.types.startsWith(`${outDir}/`)).toBe(true);
  expect(pkg.main).toBe(pkg.types.replace(/\.d\.ts$/, '.js'));
  return join(ROOT, rootDir, pkg.types.slice(outDir.length + 1).replace(/\.d\.ts$/, '.ts'));
}

test('a TypeScript client imports the event maps and every wire type from the package', () => {
  const entry = entrySource();
  expect(entry).toBe(join(ROOT, 'src/index.ts'));
  const { config } = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT);
  const compilerOptions: ts.CompilerOptions = { ...options, noEmit: true, paths: { parley: [entry] } };
  const host = ts.createCompilerHost(compilerOptions);
  const getSourceFile = host.getSourceFile.bind(host);
  host.getSourceFile = (file, language, ...rest) =>
    file === CLIENT ? ts.createSourceFile(file, CLIENT_TEXT, language) : getSourceFile(file, language, ...rest);
  const fileExists = host.fileExists.bind(host);
  host.fileExists = (file) => file === CLIENT || fileExists(file);
  const program = ts.createProgram([CLIENT], compilerOptions, host);

  const client = program.getSourceFile(CLIENT)!;
  const problems = [...program.getSyntacticDiagnostics(client), ...program.getSemanticDiagnostics(client)];
  expect(problems.map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'))).toEqual([]);

  const checker = program.getTypeChecker();
  const exportsOf = (file: string) => {
    const symbol = checker.getSymbolAtLocation(program.getSourceFile(file)!)!;
    return checker.getExportsOfModule(symbol).map((s) => s.name);
  };
  const wire = exportsOf(join(ROOT, 'src/protocol/index.ts'));
  expect(wire).toEqual(expect.arrayContaining(['ClientToServerEvents', 'ServerToClientEvents', 'Ack', 'HandshakeAuth', 'ERROR_CODES', 'ReportGroup']));
  const missing = wire.filter((name) => !exportsOf(entry).includes(name));
  expect(missing).toEqual([]);
});
