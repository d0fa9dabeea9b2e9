/**
 * Templates written for AWS, in and out. `serverless/` translates a serverless.yml (Framework v3/v4) into a SAM
 * template; `export/` writes a Flint app back as a SAM template for `sam deploy`.
 */
export { SERVERLESS_FILE_NAMES, serverlessToSam, type SamTemplate, type ServerlessOptions, type ServerlessResult } from './serverless/index.js';
export { appSpecToSam, samTemplateYaml, type SamExport } from './export/index.js';
