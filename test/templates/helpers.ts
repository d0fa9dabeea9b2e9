import { parseTemplateText, samToApp, type SamTranslation } from '../../src/templates/index.js';

/** Translates template text as `flint up` would, in a folder that need not exist (no disk checks here). */
export function translate(text: string, parameterOverrides: string[] = []): SamTranslation {
  const parsed = parseTemplateText(text, '/apps/shop/template.yaml');
  return samToApp(parsed.value as object, { dir: '/apps/shop', file: '/apps/shop/template.yaml', app: 'shop', parameterOverrides, locate: parsed.locate });
}

/** The message of what `fn` throws (a FlintError listing the template's problems). */
export function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected a problem');
}

/** A template with one function whose Environment shows what the given values evaluate to. */
export function withVariables(variables: string, head = ''): string {
  return `${head}
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      Environment:
        Variables:
${variables.split('\n').map((line) => `          ${line}`).join('\n')}
`;
}

export function variablesOf(translation: SamTranslation): Record<string, unknown> {
  return translation.document.functions.Fn!.environment as Record<string, unknown>;
}
