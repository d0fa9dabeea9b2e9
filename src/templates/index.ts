/**
 * Templates written for AWS, in and out: SAM and CloudFormation templates (cloudformation/ reads the template
 * language: YAML short forms, intrinsic functions, parameters, conditions; sam/ is the SAM transform onto flint.yaml's
 * fields); serverless/ translates a serverless.yml (Framework v3/v4) into a SAM template for samToApp; export/ writes a
 * Flint app back as a SAM template for `sam deploy`.
 */
export { appFileIn, appFromTemplate, loadApp, TEMPLATE_FILE_NAMES, type LoadedApp, type LoadOptions, type TemplateInfo, type TemplateSource } from './load.js';
export { samToApp, type SamOptions, type SamTranslation, type TemplateOutput } from './sam/translate.js';
export type { AppDocument } from './sam/context.js';
export { outputsOnFlint, type DeployedApiUrl } from './outputs.js';
export { parseTemplateText, type ParsedTemplate } from './cloudformation/yaml.js';
export { parseParameterOverrides } from './cloudformation/parameters.js';
export { SERVERLESS_FILE_NAMES, serverlessToSam, type SamTemplate, type ServerlessOptions, type ServerlessResult } from './serverless/index.js';
export { appSpecToSam, samTemplateYaml, type SamExport } from './export/index.js';
