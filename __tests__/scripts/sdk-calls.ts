/**
 * The AWS API calls a function's own code can make. The TypeScript checker follows every
 * declaration reachable from `lambdas/<name>/handler.ts` (functions, methods, constants, and the
 * top-level code of each module it reaches); in what is reachable, `new XCommand(…)` and
 * `paginateX(…)` whose symbol comes from an `@aws-sdk/client-*` package are the calls, mapped to
 * IAM actions. Reachability is by declaration, so it over-approximates (a reachable branch that
 * never runs still counts), never under-approximates. An import runs the imported module's
 * top-level code, not its functions: those are reached where the code uses them.
 */
import { join, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const LAMBDAS = join(ROOT, 'lambdas');

/** SDK package → IAM service prefix. */
const SERVICE_OF_PACKAGE: Readonly<Record<string, string>> = {
  'client-s3': 's3',
  'client-s3-control': 's3',
  'client-ec2': 'ec2',
  'client-iam': 'iam',
  'client-lambda': 'lambda',
  'client-config-service': 'config',
  'client-eventbridge': 'events',
  'client-sns': 'sns',
  'client-sqs': 'sqs',
  'client-kms': 'kms',
  'client-sts': 'sts',
  'client-cloudwatch': 'cloudwatch',
  'client-cloudwatch-logs': 'logs',
  'client-accessanalyzer': 'access-analyzer',
  'client-cloudtrail': 'cloudtrail',
  'client-rds': 'rds',
  'client-efs': 'elasticfilesystem',
  'client-securityhub': 'securityhub',
  'client-guardduty': 'guardduty',
  'client-organizations': 'organizations',
};

/**
 * Operations whose IAM action is not `<service>:<Operation>`, keyed `<package>:<Operation>`;
 * `null` for operations that need no permission.
 * @see https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html
 */
export const ACTION_EXCEPTIONS: Readonly<Record<string, string | null>> = {
  'client-s3:ListBuckets': 's3:ListAllMyBuckets',
  'client-s3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
  'client-s3:PutBucketEncryption': 's3:PutEncryptionConfiguration',
  'client-s3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
  'client-s3:ListObjectsV2': 's3:ListBucket',
  'client-s3:HeadObject': 's3:GetObject',
  'client-s3:HeadBucket': 's3:ListBucket',
  'client-s3:CreateMultipartUpload': 's3:PutObject',
  'client-s3:UploadPart': 's3:PutObject',
  'client-s3:CompleteMultipartUpload': 's3:PutObject',
  'client-s3-control:GetPublicAccessBlock': 's3:GetAccountPublicAccessBlock',
  'client-sts:GetCallerIdentity': null,
};

export interface SdkCall {
  /** e.g. GetBucketEncryption */
  readonly operation: string;
  /** e.g. client-s3 */
  readonly sdkPackage: string;
  /** IAM action, or null when the operation needs no permission. */
  readonly action: string | null;
  /** Where the call is, relative to the project root. */
  readonly at: string;
}

let program: ts.Program | undefined;

function getProgram(handlers: readonly string[]): ts.Program {
  program ??= ts.createProgram(
    handlers.map((h) => join(LAMBDAS, h, 'handler.ts')),
    {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.CommonJS,
      moduleResolution: ts.ModuleResolutionKind.Node10,
      esModuleInterop: true,
      skipLibCheck: true,
      noEmit: true,
      types: [],
    },
  );
  return program;
}

const isOwn = (file: string): boolean =>
  file.startsWith(LAMBDAS + sep) && !file.includes(`${sep}node_modules${sep}`);

function sdkPackageOf(symbol: ts.Symbol | undefined, checker: ts.TypeChecker): string | undefined {
  if (!symbol) return undefined;
  const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
  const file = target.declarations?.[0]?.getSourceFile().fileName ?? '';
  return /@aws-sdk[\\/](client-[a-z0-9-]+)[\\/]/.exec(file)?.[1];
}

/** API calls reachable from each function's handler. */
export function sdkCalls(functionNames: readonly string[]): Record<string, SdkCall[]> {
  const prog = getProgram(functionNames);
  const checker = prog.getTypeChecker();
  const out: Record<string, SdkCall[]> = {};
  for (const name of functionNames) {
    const entry = prog.getSourceFile(join(LAMBDAS, name, 'handler.ts'));
    if (!entry) throw new Error(`lambdas/${name}/handler.ts is not in the program`);
    const visited = new Set<ts.Node>();
    const modules = new Set<ts.SourceFile>();
    const queue: ts.Node[] = [];
    const isImport = (st: ts.Statement): st is ts.ImportDeclaration | ts.ExportDeclaration =>
      ts.isImportDeclaration(st) || ts.isExportDeclaration(st);
    const reachModule = (file: ts.SourceFile): void => {
      if (modules.has(file)) return;
      modules.add(file);
      // Module initialisation runs every top-level statement that is not a plain declaration,
      // and the top-level code of each module it imports.
      for (const st of file.statements) {
        if (isImport(st)) {
          const target = st.moduleSpecifier && checker.getSymbolAtLocation(st.moduleSpecifier);
          const decl = target ? target.declarations?.[0] : undefined;
          if (decl && ts.isSourceFile(decl) && isOwn(decl.fileName)) reachModule(decl);
        } else if (
          !ts.isFunctionDeclaration(st) &&
          !ts.isClassDeclaration(st) &&
          !ts.isInterfaceDeclaration(st) &&
          !ts.isTypeAliasDeclaration(st)
        ) {
          queue.push(st);
        }
      }
    };
    reachModule(entry);
    for (const st of entry.statements) if (!isImport(st)) queue.push(st);
    const calls: SdkCall[] = [];
    const record = (operation: string, sdkPackage: string, node: ts.Node): void => {
      const key = `${sdkPackage}:${operation}`;
      const action =
        key in ACTION_EXCEPTIONS
          ? ACTION_EXCEPTIONS[key]
          : `${SERVICE_OF_PACKAGE[sdkPackage] ?? sdkPackage}:${operation}`;
      const sf = node.getSourceFile();
      const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      calls.push({
        operation,
        sdkPackage,
        action,
        at: `${sf.fileName.slice(ROOT.length + 1)}:${line}`,
      });
    };
    const visit = (node: ts.Node): void => {
      if (
        ts.isNewExpression(node) &&
        ts.isIdentifier(node.expression) &&
        node.expression.text.endsWith('Command')
      ) {
        const pkg = sdkPackageOf(checker.getSymbolAtLocation(node.expression), checker);
        if (pkg) record(node.expression.text.replace(/Command$/, ''), pkg, node);
      }
      if (
        ts.isCallExpression(node) &&
        ts.isIdentifier(node.expression) &&
        /^paginate[A-Z]/.test(node.expression.text)
      ) {
        const pkg = sdkPackageOf(checker.getSymbolAtLocation(node.expression), checker);
        if (pkg) record(node.expression.text.replace(/^paginate/, ''), pkg, node);
      }
      if (ts.isIdentifier(node)) {
        let symbol = checker.getSymbolAtLocation(node);
        if (symbol && symbol.flags & ts.SymbolFlags.Alias)
          symbol = checker.getAliasedSymbol(symbol);
        for (const decl of symbol?.declarations ?? []) {
          const file = decl.getSourceFile();
          if (!isOwn(file.fileName)) continue;
          reachModule(file);
          queue.push(decl);
        }
      }
      ts.forEachChild(node, visit);
    };
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (visited.has(node)) continue;
      visited.add(node);
      visit(node);
    }
    out[name] = calls;
  }
  return out;
}
