import { STORE_KINDS } from '../support/stores.ts';
import { storeConformanceSuite } from './store-suite.ts';

for (const kind of STORE_KINDS) storeConformanceSuite(kind);
