import type { FormInstance } from 'antd';
import { ApiError } from '../../shared/api';
import { useErrorMessage } from './error-message';
import { type FieldPath, mapServerFieldErrors } from './server-field-errors';

/** What a form shows above its fields when the server refused it. */
export type FormProblem = { title: string; messages: string[] };

type PlaceOptions = {
  /** Every field the form shows, as form names (list rows by index: ['contents', 0, 'itemId']). */
  knownFields: readonly FieldPath[];
  /** Server body fields the form names differently, e.g. { priceFen: ['price'] }. */
  rename?: Readonly<Record<string, FieldPath>>;
  /** Where a 409/422 without details belongs, e.g. a duplicate name on the name field. */
  conflictField?: FieldPath;
  /** The title above the form when the messages shown there are only details. */
  failedTitle: string;
};

const asFormName = (path: readonly string[]): FieldPath => path.map((part) => (/^\d+$/.test(part) ? Number(part) : part));

/**
 * Puts a server error (400/409/422 with `details` such as `body.contents.1.itemId`) on the form
 * fields it concerns and returns what no field shows, or null when every message sits on a field.
 */
export const usePlaceServerErrors = () => {
  const errorMessage = useErrorMessage();
  return <Values>(form: FormInstance<Values>, error: unknown, options: PlaceOptions): FormProblem | null => {
    if (!(error instanceof ApiError)) return { title: errorMessage(error), messages: [] };
    const details = error.details.map((detail) => {
      const [root, first, ...rest] = detail.path.split('.');
      const renamed = root === 'body' && first !== undefined ? options.rename?.[first] : undefined;
      return renamed ? { ...detail, path: ['body', ...renamed.map(String), ...rest].join('.') } : detail;
    });
    const known = options.knownFields.map((field) => field.map(String));
    const { fields, unmatched } = mapServerFieldErrors(details, known);
    const placed = fields.map((field) => ({ name: asFormName(field.name), errors: field.errors }));
    if (details.length === 0 && options.conflictField && (error.status === 409 || error.status === 422)) {
      placed.push({ name: options.conflictField, errors: [error.message] });
    }
    form.setFields(placed.map((field) => ({ name: [...field.name], errors: field.errors })) as Parameters<FormInstance<Values>['setFields']>[0]);
    const isMessageOnAField = placed.some((field) => field.errors.includes(error.message));
    const showsTitle = placed.length === 0 || (unmatched.length > 0 && !isMessageOnAField);
    if (!showsTitle && unmatched.length === 0) return null;
    return { title: showsTitle ? errorMessage(error) : options.failedTitle, messages: unmatched.map((detail) => detail.message) };
  };
};
