/**
 * `--template FILE` and `--parameter-overrides Key=Value [Key=Value ...]`, taken as `sam deploy` takes them: the
 * overrides are every following argument of the form Key=Value (or ParameterKey=K,ParameterValue=V).
 */
import { UsageError } from './args.js';

export interface TemplateArgs {
  /** The other arguments, for the command's own parser. */
  rest: string[];
  template?: string;
  parameterOverrides: string[];
  /** serverless.yml's stage. */
  stage?: string;
}

export const TEMPLATE_HELP = `      --template <file>  a SAM/CloudFormation template to deploy (default: flint.yaml, else template.yaml,
                         template.yml or template.json in the folder)
      --parameter-overrides Key=Value ...
                         values for the template's Parameters
      --stage <name>     the stage of a serverless.yml (default: provider.stage, else dev)`;

export function takeTemplateArgs(argv: readonly string[]): TemplateArgs {
  const out: TemplateArgs = { rest: [], parameterOverrides: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--template' || arg === '-t' || arg.startsWith('--template=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError('--template takes a file');
      out.template = value;
    } else if (arg === '--stage' || arg.startsWith('--stage=')) {
      const value = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (value === undefined || value === '') throw new UsageError('--stage takes a stage name');
      out.stage = value;
    } else if (arg === '--parameter-overrides') {
      const start = out.parameterOverrides.length;
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('-') && argv[i + 1]!.includes('=')) out.parameterOverrides.push(argv[++i]!);
      if (out.parameterOverrides.length === start) throw new UsageError('--parameter-overrides takes Key=Value pairs');
    } else out.rest.push(arg);
  }
  return out;
}
