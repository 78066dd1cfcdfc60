// idb recognises requests with `instanceof IDBRequest` on the globals, so the fake's classes
// must be the globals too; each test still gets its own fresh `IDBFactory`.
import 'fake-indexeddb/auto';
