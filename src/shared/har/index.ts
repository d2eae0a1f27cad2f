export { exportHar, type ExportOptions } from './export';
export { importHar, startHarImport, type HarImport, type ImportResult } from './import';
export type * from './types';
export { NETLENS_HAR_FORMAT } from './types';
