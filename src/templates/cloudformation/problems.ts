/** Problems found in a template, each placed at its line, thrown together as one MANIFEST_INVALID error. */
import { FlintError } from '../../core/index.js';
import { formatField, formatProblems, type ManifestProblem } from '../../manifest/index.js';

export interface Place {
  line: number;
  column: number;
}

export class TemplateProblems {
  private readonly problems: ManifestProblem[] = [];

  constructor(private readonly file: string) {}

  add(place: Place, field: string, message: string): void {
    this.problems.push({ file: this.file, line: place.line, column: place.column, field, message });
  }

  get count(): number {
    return this.problems.length;
  }

  throwIfAny(): void {
    if (this.problems.length > 0) throw new FlintError('MANIFEST_INVALID', formatProblems(this.problems), { problems: [...this.problems] });
  }
}

/** An error in one place of a template, raised while evaluating it: collected into TemplateProblems. */
export class TemplateError extends Error {
  constructor(readonly path: readonly PropertyKey[], message: string) {
    super(message);
  }

  get field(): string {
    return formatField(this.path);
  }
}
