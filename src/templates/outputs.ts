/**
 * A template's Outputs as they read on Flint: an API URL written for AWS
 * (`https://<id>.execute-api.<region>.amazonaws.com/<stage>/path`) becomes the URL that reaches that API on the
 * node's URL, where every API's routes are served. Flint serves a REST API without its stage in the path, so the
 * stage is left out.
 */
import type { TemplateOutput } from './sam/translate.js';

export interface DeployedApiUrl {
  name: string;
  id: string;
  /** The node's URL: every API's routes are served on it too (they are unique across the node). */
  url: string;
}

const API_URL = /https:\/\/([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(\/[^\s"']*)?/g;

export function outputsOnFlint(outputs: readonly TemplateOutput[], apiStages: Record<string, string>, apis: readonly DeployedApiUrl[]): TemplateOutput[] {
  return outputs.map((output) => ({
    ...output,
    value: output.value.replace(API_URL, (whole, id: string, path: string | undefined) => {
      const api = apis.find((a) => a.id === id);
      if (api === undefined) return whole;
      const stage = apiStages[api.name];
      const rest = path ?? '/';
      const stripped = stage !== undefined && (rest === `/${stage}` || rest.startsWith(`/${stage}/`)) ? rest.slice(stage.length + 1) || '/' : rest;
      return `${api.url.replace(/\/$/, '')}${stripped}`;
    }),
  }));
}
