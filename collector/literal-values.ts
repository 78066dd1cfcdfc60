import type * as TS from 'typescript';
import type { PropValue } from './collector-stats.js';

/** How deep `type A = B | 'c'` chains are followed when reading the order values are written in. */
const MAX_ALIAS_DEPTH = 8;

/**
 * The literal values a prop's type allows (`variant?: 'primary' | 'ghost'` → `['primary',
 * 'ghost']`, `boolean` → `[true, false]`), in the order the source writes them; empty when the
 * type is no union of literals (`string`, a function, an object).
 *
 * The checker says which values there are; it keeps a union's members in the order their types
 * were first created, which need not be the written one (react-bootstrap's `ButtonVariant`
 * comes out starting with `'link'`), so the written order is read from the declaration.
 * Members that are not literals are left out: `Variant | (string & {})`, the idiom that keeps
 * editor completions while allowing any string, still lists its named values.
 */
export function literalValues(
  ts: typeof TS,
  checker: TS.TypeChecker,
  prop: TS.Symbol,
  location: TS.Node,
): PropValue[] {
  const type = checker.getTypeOfSymbolAtLocation(prop, location);
  const parts = type.isUnion() ? type.types : [type];
  // Beside a component type, a string names an element to render (`as?: React.ElementType` is
  // any HTML or SVG tag or a component): what the component renders as, not a variant of it.
  const takesComponents = parts.some(
    (part) => part.getCallSignatures().length > 0 || part.getConstructSignatures().length > 0,
  );
  const values: PropValue[] = [];
  for (const part of parts) {
    if (part.isStringLiteral()) {
      if (!takesComponents) values.push(part.value);
    } else if (part.isNumberLiteral()) {
      values.push(part.value);
    } else if (part.flags & ts.TypeFlags.BooleanLiteral) {
      values.push(checker.typeToString(part) === 'true');
    }
  }
  if (values.length === 0) return values;
  const written = prop.declarations?.flatMap((declaration) =>
    'type' in declaration && declaration.type
      ? writtenOrder(ts, checker, declaration.type as TS.TypeNode, 0)
      : [],
  );
  const rank = new Map((written ?? []).map((key, index) => [key, index] as const));
  // A plain `boolean` has no written order: true first, as people say "true or false".
  const fallback = (value: PropValue) => (value === true ? -1 : 0);
  return values
    .map((value, index) => ({ value, index, rank: rank.get(JSON.stringify(value)) }))
    .sort(
      (a, b) =>
        (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER) ||
        fallback(a.value) - fallback(b.value) ||
        a.index - b.index,
    )
    .map((entry) => entry.value);
}

/** The literals a type node writes, as JSON, in source order, following type aliases and enums. */
function writtenOrder(
  ts: typeof TS,
  checker: TS.TypeChecker,
  node: TS.TypeNode,
  depth: number,
): string[] {
  if (depth > MAX_ALIAS_DEPTH) return [];
  if (ts.isUnionTypeNode(node)) {
    return node.types.flatMap((member) => writtenOrder(ts, checker, member, depth));
  }
  if (ts.isParenthesizedTypeNode(node)) return writtenOrder(ts, checker, node.type, depth);
  if (node.kind === ts.SyntaxKind.BooleanKeyword) return ['true', 'false'];
  if (ts.isLiteralTypeNode(node)) {
    const literal = node.literal;
    if (ts.isStringLiteral(literal)) return [JSON.stringify(literal.text)];
    if (ts.isNumericLiteral(literal)) return [JSON.stringify(Number(literal.text))];
    if (literal.kind === ts.SyntaxKind.TrueKeyword) return ['true'];
    if (literal.kind === ts.SyntaxKind.FalseKeyword) return ['false'];
    if (ts.isPrefixUnaryExpression(literal) && ts.isNumericLiteral(literal.operand)) {
      return [JSON.stringify(-Number(literal.operand.text))];
    }
    return [];
  }
  if (!ts.isTypeReferenceNode(node)) return [];
  let symbol = checker.getSymbolAtLocation(node.typeName);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return (symbol?.declarations ?? []).flatMap((declaration) => {
    if (ts.isTypeAliasDeclaration(declaration)) {
      return writtenOrder(ts, checker, declaration.type, depth + 1);
    }
    if (ts.isEnumDeclaration(declaration)) {
      return declaration.members.map((member) => JSON.stringify(checker.getConstantValue(member)));
    }
    return [];
  });
}
