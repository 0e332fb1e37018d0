import type { z as zod } from 'zod/v3';
import { operations, parameters } from './schema/openapi.generated';
import {
  AGE_FILTERS,
  CATEGORIES,
  MESSAGE_STATES,
  RETRY_STATUSES,
} from './types';

/**
 * Filters shared by the list, the summary, the CSV export and bulk retries:
 * the shared query parameters of the OpenAPI document
 * (plugins/failed-messages-backend/src/schema/components/parameters/), where
 * each one's values, limits and description are defined.
 *
 * @public
 */
export type FailedMessageFilter = NonNullable<
  operations['GetSummary']['parameters']['query']
>;

type Parameters = typeof parameters;

type FilterKey = {
  [Key in keyof Parameters]: Parameters[Key]['in'] extends 'query'
    ? Key
    : never;
}[keyof Parameters];

/**
 * The keys of {@link FailedMessageFilter}, in the document's order.
 *
 * @public
 */
export const FAILED_MESSAGE_FILTER_KEYS: Array<keyof FailedMessageFilter> = (
  Object.keys(parameters) as Array<keyof Parameters>
).filter((key): key is FilterKey => parameters[key].in === 'query');

/**
 * The filter keys of `source` that hold a value, without anything else it
 * holds (paging, sorting, form state).
 *
 * @public
 */
export function pickFailedMessageFilter(
  source: FailedMessageFilter,
): FailedMessageFilter {
  const filter: Record<string, unknown> = {};
  for (const key of FAILED_MESSAGE_FILTER_KEYS) {
    if (source[key] !== undefined) {
      filter[key] = source[key];
    }
  }
  return filter as FailedMessageFilter;
}

/** Whether a value of a URL is one the parameter may take, if it lists them. */
function allows(schema: { enum?: readonly string[] }, value: string): boolean {
  return value !== '' && (!schema.enum || schema.enum.includes(value));
}

/**
 * The filter of a URL query string, without empty values and values outside
 * a parameter's listed ones: a hand-edited or outdated link then shows what it
 * can instead of making every request fail. Text over a limit is kept, so the
 * backend's answer says what is wrong with it; `from` and `to` are taken as
 * text, whether they are times is the reader's to decide.
 *
 * @public
 */
export function readFailedMessageFilter(
  params: URLSearchParams,
): FailedMessageFilter {
  const filter: Record<string, unknown> = {};
  for (const key of FAILED_MESSAGE_FILTER_KEYS) {
    const { schema } = parameters[key] as {
      schema: {
        enum?: readonly string[];
        items?: { enum?: readonly string[] };
      };
    };
    if (schema.items) {
      const item = schema.items;
      const values = params.getAll(key).filter(value => allows(item, value));
      if (values.length) {
        filter[key] = values;
      }
    } else {
      const value = params.get(key);
      if (value && allows(schema, value)) {
        filter[key] = value;
      }
    }
  }
  return filter as FailedMessageFilter;
}

/** Limits of a text value, as the document gives them. */
interface TextLimits {
  minLength: number;
  maxLength: number;
}

/**
 * The filter as a zod object shape, as `createFailedMessageFilterShape`
 * returns it: every key optional; `Text` is the schema of a text value.
 *
 * @public
 */
export type FailedMessageFilterShape<Text extends zod.ZodTypeAny> = {
  age: zod.ZodOptional<zod.ZodEnum<zod.Writeable<typeof AGE_FILTERS>>>;
  from: zod.ZodOptional<zod.ZodString>;
  to: zod.ZodOptional<zod.ZodString>;
  category: zod.ZodOptional<
    zod.ZodArray<zod.ZodEnum<zod.Writeable<typeof CATEGORIES>>>
  >;
  errorCode: zod.ZodOptional<zod.ZodArray<Text>>;
  retryStatus: zod.ZodOptional<
    zod.ZodArray<zod.ZodEnum<zod.Writeable<typeof RETRY_STATUSES>>>
  >;
  state: zod.ZodOptional<
    zod.ZodArray<zod.ZodEnum<zod.Writeable<typeof MESSAGE_STATES>>>
  >;
  campaign: zod.ZodOptional<Text>;
  phoneNumberId: zod.ZodOptional<zod.ZodArray<Text>>;
  q: zod.ZodOptional<Text>;
  bulkRetryId: zod.ZodOptional<Text>;
};

/**
 * Builds the shape with the `z` that Backstage's actions registry and
 * scaffolder hand to schema factories.
 */
function buildFilterShape<Text extends zod.ZodTypeAny>(
  z: typeof zod,
  text: (limits: TextLimits) => Text,
): FailedMessageFilterShape<Text> {
  const {
    age,
    from,
    to,
    category,
    errorCode,
    retryStatus,
    state,
    campaign,
    phoneNumberId,
    q,
    bulkRetryId,
  } = parameters;
  return {
    age: z.enum(age.schema.enum).optional().describe(age.description),
    from: z.string().optional().describe(from.description),
    to: z.string().optional().describe(to.description),
    category: z
      .array(z.enum(category.schema.items.enum))
      .optional()
      .describe(category.description),
    errorCode: z
      .array(text(errorCode.schema.items))
      .optional()
      .describe(errorCode.description),
    retryStatus: z
      .array(z.enum(retryStatus.schema.items.enum))
      .optional()
      .describe(retryStatus.description),
    state: z
      .array(z.enum(state.schema.items.enum))
      .optional()
      .describe(state.description),
    campaign: text(campaign.schema).optional().describe(campaign.description),
    phoneNumberId: z
      .array(text(phoneNumberId.schema.items))
      .optional()
      .describe(phoneNumberId.description),
    q: text(q.schema).optional().describe(q.description),
    bulkRetryId: text(bulkRetryId.schema)
      .optional()
      .describe(bulkRetryId.description),
  };
}

/**
 * The filter as a zod object shape, for action inputs: every key optional,
 * each with the document's allowed values, limits and description.
 * Repeatable keys are arrays.
 *
 * With `fromTemplate`, text is accepted as a scaffolder template renders it:
 * digit-only text (a campaign, an error code) may arrive as a number, and an
 * unset form field as blank text. The caller turns numbers into text and
 * drops blanks; the backend then checks the document's limits.
 *
 * @public
 */
export function createFailedMessageFilterShape(
  z: typeof zod,
): FailedMessageFilterShape<zod.ZodString>;
/** @public */
export function createFailedMessageFilterShape(
  z: typeof zod,
  options: { fromTemplate: true },
): FailedMessageFilterShape<zod.ZodUnion<[zod.ZodString, zod.ZodNumber]>>;
export function createFailedMessageFilterShape(
  z: typeof zod,
  options?: { fromTemplate: true },
) {
  return options?.fromTemplate
    ? buildFilterShape(z, () => z.union([z.string(), z.number()]))
    : buildFilterShape(z, limits =>
        z.string().min(limits.minLength).max(limits.maxLength),
      );
}
