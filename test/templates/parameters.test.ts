import { describe, expect, it } from 'vitest';
import { parseParameterOverrides } from '../../src/templates/index.js';
import { problemOf, translate, variablesOf, withVariables } from './helpers.js';

// Parameters as CloudFormation checks them at stack creation
// (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html).
const HEAD = `
Parameters:
  Stage: { Type: String, Default: dev, AllowedValues: [dev, prod] }
  Retries: { Type: Number, Default: 2, MinValue: 0, MaxValue: 5 }
  Tags: { Type: CommaDelimitedList, Default: "a,b" }
  Owner: { Type: String, AllowedPattern: "[a-z]+", ConstraintDescription: lowercase letters only }`;
const VARS = 'STAGE: !Ref Stage\nRETRIES: !Ref Retries\nTAGS: !Join ["+", !Ref Tags]\nOWNER: !Ref Owner';

describe('template parameters', () => {
  it('takes Defaults and --parameter-overrides', () => {
    expect(variablesOf(translate(withVariables(VARS, HEAD), ['Owner=ada']))).toEqual({ STAGE: 'dev', RETRIES: '2', TAGS: 'a+b', OWNER: 'ada' });
    expect(variablesOf(translate(withVariables(VARS, HEAD), ['Owner=ada', 'Stage=prod', 'Retries=5', 'Tags=x,y,z']))).toEqual({ STAGE: 'prod', RETRIES: '5', TAGS: 'x+y+z', OWNER: 'ada' });
  });

  it('refuses a value outside AllowedValues, a pattern or a range, a missing value and an undeclared override', () => {
    const message = problemOf(() => translate(withVariables(VARS, HEAD), ['Stage=qa', 'Retries=9', 'Colour=red']));
    expect(message).toContain('Parameters.Stage: parameter Stage is "qa", not one of its AllowedValues: dev, prod');
    expect(message).toContain('Parameters.Retries: parameter Retries is above its MaxValue 5');
    expect(message).toContain('Parameters.Owner: parameter Owner has no Default: give it with --parameter-overrides Owner=<value>');
    expect(message).toContain('--parameter-overrides names Colour, which the template does not declare (declared: Stage, Retries, Tags, Owner)');
    expect(problemOf(() => translate(withVariables(VARS, HEAD), ['Owner=Ada']))).toContain('parameter Owner is "Ada", which does not match its AllowedPattern [a-z]+ (lowercase letters only)');
  });

  it('reads overrides as sam deploy takes them', () => {
    expect(parseParameterOverrides(['Stage=prod', "Name='two words'", 'ParameterKey=Size,ParameterValue=10'])).toEqual({ Stage: 'prod', Name: 'two words', Size: '10' });
    expect(parseParameterOverrides(['Stage=prod Retries=3'])).toEqual({ Stage: 'prod', Retries: '3' });
  });
});
