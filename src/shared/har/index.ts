export { exportHar, type ExportOptions } from './export';
export { importHar, type ImportResult } from './import';
export type * from './types';
export { NETLENS_HAR_FORMAT } from './types';
