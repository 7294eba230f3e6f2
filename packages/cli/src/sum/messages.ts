/**
 * Message conventions of `iscc sum`: every diagnostic starts with iscc-sum's program name, so
 * scripts that parse iscc-sum's messages keep working when they call `iscc sum` instead.
 */

/** Prefix of every diagnostic line (iscc-sum's `prog_name`). */
export const PROG = 'iscc-sum';
