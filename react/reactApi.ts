/**
 * The React API this adapter uses, imported from `react` in this one module. A bundler that
 * keeps `react` external (the size check, an app on an import map or a CDN build) then emits a
 * single `import … from "react"` for the adapter instead of one per module, and every module
 * shares one minified name per function: about 160 B gzip less for the whole adapter.
 */
export type { Dispatch, ErrorInfo, KeyboardEvent, ReactNode, SetStateAction } from 'react';
export {
  Component,
  createContext,
  createElement,
  Fragment,
  useCallback,
  useContext,
  useEffect,
  useId,
  useInsertionEffect,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
