import type * as TS from 'typescript';
import type { PropValue } from './collector-stats.js';
import { literalValues } from './literal-values.js';
import type { ManifestComponent } from './manifest-schema.js';

/** Where `findComponents` looks, and which files count as the library's own. */
export interface ComponentSearch {
  checker: TS.TypeChecker;
  /** The library's entry: its exports are what users import. */
  entry: TS.SourceFile;
  /**
   * Whether a file belongs to the library. Only props declared there are listed: a button's
   * own `variant` is the author's question, the 300 DOM attributes it inherits are not.
   */
  isOwnFile: (fileName: string) => boolean;
}

// What a component's call returns: JSX (`JSX.Element`, also `React.JSX.Element`), an element or
// a portal; `ReactNode` unions (React 19's `FC`, `ExoticComponent`) contain `ReactElement`.
const ELEMENT_NAME = /(^|\.)(JSX\.Element|ReactElement|ReactPortal)$/;
/** React only renders capitalised names as components, so nothing else is one (hooks, helpers). */
const COMPONENT_NAME = /^[A-Z]/;
/** Props no component reports about itself. */
const IGNORED_PROPS = new Set(['children', 'key', 'ref']);

/**
 * The components a library's entry exports, in name order: function components, class
 * components, and anything typed as one (`forwardRef`, `memo`, `FC`, `ComponentType`,
 * `ForwardRefExoticComponent` in a `.d.ts`), with their literal-union props and `@deprecated`.
 *
 * @param ts - The TypeScript compiler API, loaded by the caller.
 * @param search - The checker, the entry and which files are the library's.
 */
export function findComponents(ts: typeof TS, search: ComponentSearch): ManifestComponent[] {
  const { checker, entry } = search;
  const moduleSymbol = checker.getSymbolAtLocation(entry);
  if (!moduleSymbol) return [];
  const components: ManifestComponent[] = [];
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    if (!COMPONENT_NAME.test(exported.name)) continue;
    const target =
      exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    if (!(target.flags & ts.SymbolFlags.Value)) continue;
    const propsType = componentProps(
      ts,
      checker,
      checker.getTypeOfSymbolAtLocation(target, entry),
      entry,
    );
    if (propsType === undefined) continue;
    const component: ManifestComponent = { name: exported.name };
    const deprecated = deprecation(ts, checker, [exported, target]);
    if (deprecated !== undefined) component.deprecated = deprecated;
    const props = propsType === null ? {} : literalProps(ts, search, propsType);
    if (Object.keys(props).length > 0) component.props = props;
    components.push(component);
  }
  return components.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * The props type when `type` is a component's (null for one that takes none), else undefined.
 * A union (`ComponentType` is a class or a function) is a component when one of its members is.
 */
function componentProps(
  ts: typeof TS,
  checker: TS.TypeChecker,
  type: TS.Type,
  location: TS.Node,
): TS.Type | null | undefined {
  if (type.isUnion()) {
    for (const member of type.types) {
      const props = componentProps(ts, checker, member, location);
      if (props !== undefined) return props;
    }
    return undefined;
  }
  // A React 19 context renders as `<Context value>`, so it has a component's call signature;
  // it is not one a library author counts.
  if (type.getProperty('Provider') && type.getProperty('Consumer')) return undefined;
  for (const signature of type.getCallSignatures()) {
    if (!rendersElement(checker, signature.getReturnType())) continue;
    const [first] = signature.getParameters();
    if (!first) return null;
    const props = checker.getTypeOfSymbolAtLocation(first, location);
    if (isPropsObject(ts, props)) return props;
  }
  for (const signature of type.getConstructSignatures()) {
    const instance = signature.getReturnType();
    const props = instance.getProperty('props');
    if (props && instance.getProperty('render')) {
      return checker.getTypeOfSymbolAtLocation(props, location);
    }
  }
  return undefined;
}

function rendersElement(checker: TS.TypeChecker, type: TS.Type): boolean {
  return (type.isUnion() ? type.types : [type]).some((part) => {
    const symbol = part.aliasSymbol ?? part.getSymbol();
    return symbol !== undefined && ELEMENT_NAME.test(checker.getFullyQualifiedName(symbol));
  });
}

/** A first parameter that is an object (or an intersection or union of them), not a primitive. */
function isPropsObject(ts: typeof TS, type: TS.Type): boolean {
  const primitive =
    ts.TypeFlags.StringLike |
    ts.TypeFlags.NumberLike |
    ts.TypeFlags.BooleanLike |
    ts.TypeFlags.BigIntLike |
    ts.TypeFlags.ESSymbolLike;
  const parts = type.isUnion() ? type.types : [type];
  return parts.every((part) => !(part.flags & primitive));
}

/** Props declared in the library's own files whose type is a union of literals, in name order. */
function literalProps(
  ts: typeof TS,
  search: ComponentSearch,
  propsType: TS.Type,
): Record<string, PropValue[]> {
  const { checker, entry, isOwnFile } = search;
  const props: [string, PropValue[]][] = [];
  for (const prop of checker.getPropertiesOfType(propsType)) {
    if (IGNORED_PROPS.has(prop.name)) continue;
    const declarations = prop.declarations ?? [];
    if (!declarations.some((declaration) => isOwnFile(declaration.getSourceFile().fileName))) {
      continue;
    }
    const values = literalValues(ts, checker, prop, entry);
    if (values.length > 0) props.push([prop.name, values]);
  }
  return Object.fromEntries(props.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/**
 * The `@deprecated` tag's message (whitespace collapsed), `true` for a bare tag, or undefined.
 * The export is read before its target, so a tag on a re-export marks it too.
 */
function deprecation(
  ts: typeof TS,
  checker: TS.TypeChecker,
  symbols: readonly TS.Symbol[],
): string | true | undefined {
  for (const symbol of symbols) {
    const tag = symbol.getJsDocTags(checker).find((candidate) => candidate.name === 'deprecated');
    if (tag) return ts.displayPartsToString(tag.text).replace(/\s+/g, ' ').trim() || true;
  }
  return undefined;
}
