import * as z from 'zod';

/**
 * A decimal number sent as a string ("100.50", "-3.5"). It stays a string: money and
 * quantities lose precision as JS numbers. The one decimal format of the project: the native
 * catalogue and every preset use it. Built in a `@__PURE__` call, so a bundle that does not
 * use it drops it.
 * @category Presets
 */
export const decimalString = /* @__PURE__ */ z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal string');
