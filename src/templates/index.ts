/**
 * Templates written for AWS, deployed unchanged: SAM and CloudFormation templates (cloudformation/ reads the
 * template language: YAML short forms, intrinsic functions, parameters, conditions; sam/ is the SAM transform onto
 * flint.yaml's fields). `serverless/` (serverless.yml) translates into a SAM template and calls samToApp.
 */
export { appFileIn, appFromTemplate, loadApp, TEMPLATE_FILE_NAMES, type LoadedApp, type LoadOptions, type TemplateInfo, type TemplateSource } from './load.js';
export { samToApp, type SamOptions, type SamTranslation, type TemplateOutput } from './sam/translate.js';
export type { AppDocument } from './sam/context.js';
export { outputsOnFlint, type DeployedApiUrl } from './outputs.js';
export { parseTemplateText, type ParsedTemplate } from './cloudformation/yaml.js';
export { parseParameterOverrides } from './cloudformation/parameters.js';
