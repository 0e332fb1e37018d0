import Ajv, { ErrorObject } from 'ajv';
import { InputError } from '@backstage/errors';
import { operations } from '@msgops/plugin-failed-messages-common';
import { queryParameters } from '../schema/openapi.generated';

/**
 * The read routes (`/messages`, `/summary`, `/export/messages.csv`,
 * `/statistics`) take only a query string. They are served before the
 * OpenAPI validator, whose chain costs 0.18–0.25 ms a request
 * (docs/benchmarks.md, "The fixed cost per request"); their query is checked
 * here instead, by JSON schemas compiled once from the same document's
 * parameters (the generated `queryParameters`), with the validator's rules:
 * a single value of a repeatable parameter is a list of one, numbers are read
 * from text, a parameter may not be empty, unknown parameters are refused.
 * queryValidation.test.ts feeds the same queries to both and fails when they
 * disagree.
 */
export type ReadOperation =
  | 'ListMessages'
  | 'GetSummary'
  | 'ExportMessages'
  | 'GetStatistics';

/** A read route's query, defaults applied. */
export type ReadQuery<Operation extends ReadOperation> = NonNullable<
  operations[Operation]['parameters']['query']
>;

const ajv = new Ajv({ coerceTypes: 'array', useDefaults: true, strict: false });

/**
 * The 400's text: the parameter and what is wrong; a value out of range also
 * gets the parameter's description, which says why and what to do instead.
 */
function describe(
  error: ErrorObject,
  descriptions: Record<string, string | undefined>,
): string {
  if (error.keyword === 'additionalProperties') {
    const name = error.params.additionalProperty;
    return `Invalid query parameter ${name}: not a parameter of this route`;
  }
  const name = error.instancePath.split('/')[1];
  let detail = '';
  if (error.keyword === 'enum') {
    detail = `: ${(error.params.allowedValues as string[]).join(', ')}`;
  } else if (
    (error.keyword === 'maximum' || error.keyword === 'minimum') &&
    descriptions[name]
  ) {
    detail = ` (${descriptions[name]})`;
  }
  return `Invalid query parameter ${name}: ${error.message}${detail}`;
}

/**
 * Checks a read route's query against the document's parameters and applies
 * their defaults; throws an `InputError` naming the first bad parameter.
 */
export function compileQueryValidator<Operation extends ReadOperation>(
  operationId: Operation,
): (query: unknown) => ReadQuery<Operation> {
  const parameters: ReadonlyArray<{
    name: string;
    schema: object;
    description?: string;
  }> = queryParameters[operationId];
  const descriptions = Object.fromEntries(
    parameters.map(p => [p.name, p.description]),
  );
  const validate = ajv.compile({
    type: 'object',
    properties: Object.fromEntries(parameters.map(p => [p.name, p.schema])),
    additionalProperties: false,
  });
  return query => {
    // No parameter of the document allows an empty value.
    const empty = Object.entries(query as object).find(
      ([, value]) => value === '',
    );
    if (empty) {
      throw new InputError(
        `Invalid query parameter ${empty[0]}: must not be empty`,
      );
    }
    // A copy: coercion and defaults are written into the checked object.
    const checked = { ...(query as object) } as Record<string, unknown>;
    if (!validate(checked)) {
      throw new InputError(describe(validate.errors![0], descriptions));
    }
    return checked as ReadQuery<Operation>;
  };
}

/**
 * The default the document gives a query parameter of an operation, for
 * routes the OpenAPI validator serves: it checks their query but does not
 * fill in defaults.
 */
export function documentedDefault(
  operationId: keyof typeof queryParameters,
  name: string,
): unknown {
  const parameter = (
    queryParameters[operationId] as ReadonlyArray<{
      name: string;
      schema: { default?: unknown };
    }>
  ).find(p => p.name === name);
  if (parameter?.schema.default === undefined) {
    throw new Error(`${operationId} documents no default for ${name}`);
  }
  return parameter.schema.default;
}
