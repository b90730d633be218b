/**
 * The stub must keep the reference's exact typed API. This describes a module's exports as
 * plain strings (names, kinds, signatures, public members) so two modules can be compared.
 * Parameter names are left out: a stub names unused parameters with a leading underscore.
 */
import ts from 'typescript-compiler-api';

const format = ts.TypeFormatFlags.NoTruncation | ts.TypeFormatFlags.WriteArrowStyleSignature;

function signatureText(checker: ts.TypeChecker, signature: ts.Signature): string {
  const typeParams = (signature.getTypeParameters() ?? []).map((p) => {
    const constraint = p.getConstraint();
    return constraint ? `${checker.typeToString(p)} extends ${checker.typeToString(constraint, undefined, format)}` : checker.typeToString(p);
  });
  const params = signature.getParameters().map((param) => {
    const declaration = param.valueDeclaration as ts.ParameterDeclaration | undefined;
    const optional = declaration !== undefined && (declaration.questionToken !== undefined || declaration.initializer !== undefined);
    const rest = declaration?.dotDotDotToken !== undefined ? '...' : '';
    const type = checker.getTypeOfSymbolAtLocation(param, declaration ?? param.declarations![0]!);
    return `${rest}${optional ? '?' : ''}${checker.typeToString(type, undefined, format)}`;
  });
  const returns = checker.typeToString(signature.getReturnType(), undefined, format);
  return `${typeParams.length > 0 ? `<${typeParams.join(', ')}>` : ''}(${params.join(', ')}) => ${returns}`;
}

function isPublic(symbol: ts.Symbol): boolean {
  if (symbol.getName().startsWith('__#') || symbol.getName().startsWith('#')) return false;
  const modifiers = symbol.valueDeclaration ? ts.getCombinedModifierFlags(symbol.valueDeclaration) : 0;
  return (modifiers & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected)) === 0;
}

function memberTexts(checker: ts.TypeChecker, type: ts.Type, where: ts.Node): string[] {
  return checker
    .getPropertiesOfType(type)
    .filter(isPublic)
    .filter((member) => member.getName() !== 'prototype')
    .map((member) => {
      const memberType = checker.getTypeOfSymbolAtLocation(member, where);
      const flags = member.getFlags();
      const declaration = member.valueDeclaration ?? member.declarations?.[0];
      const readonly = declaration && ts.getCombinedModifierFlags(declaration) & ts.ModifierFlags.Readonly ? 'readonly ' : '';
      const optional = flags & ts.SymbolFlags.Optional ? '?' : '';
      if (flags & ts.SymbolFlags.Method) {
        const signatures = memberType.getCallSignatures().map((s) => signatureText(checker, s));
        return `method ${member.getName()}${optional}: ${signatures.join(' & ')}`;
      }
      const accessor = flags & ts.SymbolFlags.GetAccessor ? (flags & ts.SymbolFlags.SetAccessor ? 'get set ' : 'get ') : '';
      return `${accessor}${readonly}${member.getName()}${optional}: ${checker.typeToString(memberType, undefined, format)}`;
    })
    .sort();
}

function describeExport(checker: ts.TypeChecker, exported: ts.Symbol, where: ts.Node): string[] {
  const symbol = exported.getFlags() & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
  const name = exported.getName();
  const flags = symbol.getFlags();
  const lines: string[] = [];
  if (flags & ts.SymbolFlags.Class) {
    const staticType = checker.getTypeOfSymbolAtLocation(symbol, where);
    const instanceType = checker.getDeclaredTypeOfSymbol(symbol);
    for (const signature of staticType.getConstructSignatures()) lines.push(`class ${name} new${signatureText(checker, signature)}`);
    for (const member of memberTexts(checker, staticType, where)) lines.push(`class ${name} static ${member}`);
    for (const member of memberTexts(checker, instanceType, where)) lines.push(`class ${name} ${member}`);
    return lines.length > 0 ? lines : [`class ${name}`];
  }
  if (flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Variable)) {
    const type = checker.getTypeOfSymbolAtLocation(symbol, where);
    const signatures = type.getCallSignatures();
    if (flags & ts.SymbolFlags.Function || signatures.length > 0) {
      for (const signature of signatures) lines.push(`function ${name}${signatureText(checker, signature)}`);
    } else {
      lines.push(`const ${name}: ${checker.typeToString(type, undefined, format)}`);
    }
  }
  if (flags & (ts.SymbolFlags.Interface | ts.SymbolFlags.TypeAlias)) {
    const type = checker.getDeclaredTypeOfSymbol(symbol);
    const typeParams = (symbol.declarations ?? []).flatMap((d) =>
      ts.isInterfaceDeclaration(d) || ts.isTypeAliasDeclaration(d) ? (d.typeParameters ?? []).map((p) => p.getText()) : [],
    );
    const head = `type ${name}${typeParams.length > 0 ? `<${[...new Set(typeParams)].join(', ')}>` : ''}`;
    if (flags & ts.SymbolFlags.Interface || (type.flags & ts.TypeFlags.Object && !type.aliasSymbol?.declarations?.some((d) => ts.isTypeAliasDeclaration(d) && !ts.isTypeLiteralNode(d.type)))) {
      for (const member of memberTexts(checker, type, where)) lines.push(`${head} ${member}`);
      for (const signature of type.getCallSignatures()) lines.push(`${head} call${signatureText(checker, signature)}`);
    }
    if (lines.length === 0 || flags & ts.SymbolFlags.TypeAlias) {
      lines.push(`${head} = ${checker.typeToString(type, undefined, format | ts.TypeFormatFlags.InTypeAlias)}`);
    }
  }
  if (flags & ts.SymbolFlags.Enum) lines.push(`enum ${name}`);
  return lines.length > 0 ? [...new Set(lines)] : [`export ${name}`];
}

/** The exported API of `file` as sorted lines. */
export function describeModule(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (source === undefined) return [];
  const moduleSymbol = checker.getSymbolAtLocation(source);
  if (moduleSymbol === undefined) return [];
  return checker
    .getExportsOfModule(moduleSymbol)
    .flatMap((exported) => describeExport(checker, exported, source))
    .sort();
}

/** Lines of the reference's API missing from the stub (`-`) and extra in the stub (`+`). */
export function compareApis(program: ts.Program, solutionFile: string, stubFile: string): string[] {
  const expected = describeModule(program, solutionFile);
  const actual = describeModule(program, stubFile);
  const actualSet = new Set(actual);
  const expectedSet = new Set(expected);
  return [
    ...expected.filter((line) => !actualSet.has(line)).map((line) => `- ${line}`),
    ...actual.filter((line) => !expectedSet.has(line)).map((line) => `+ ${line}`),
  ];
}
