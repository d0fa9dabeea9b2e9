/** A deploy report with what the app's template adds: its Outputs on this node and what Flint did not honour. */
import type { DeployReport } from '../services/admin/index.js';
import { outputsOnFlint, type TemplateInfo } from '../templates/index.js';

export function withTemplate(report: DeployReport, template: TemplateInfo | undefined): DeployReport {
  if (template === undefined) return report;
  const outputs = outputsOnFlint(template.outputs, template.apiStages, report.apis);
  return { ...report, outputs, unsupported: template.unsupported };
}
