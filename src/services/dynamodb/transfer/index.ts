/** DynamoDB's exports to S3 and imports from S3 (ExportTableToPointInTime, ImportTable and their Describe/List). */
export { Transfers, EXPORTS, IMPORTS, type TransferStores } from './jobs.js';
export { describeExportOp, exportTableToPointInTime, listExports } from './export-ops.js';
export { describeImportOp, importTable, listImports } from './import-ops.js';
export { runExport } from './export-run.js';
export { runImport } from './import-run.js';
export type { ExportRecord } from './export-records.js';
export type { ImportRecord } from './import-records.js';
