/**
 * The external programs text mode may call (pdftotext, pdfinfo, pdftoppm, catdoc, xls2csv).
 * They are entries of the sdk's one tool table (`TOOLS` in ../tools.ts), found and
 * version-checked by the same code: `ISCC_SDK_<NAME>_PATH`, else the first executable on
 * `PATH`; a missing program gives ISCC_SDK_TOOL_MISSING naming the Debian package.
 */
import { findTool, TOOLS, type Tool } from '../tools.ts';

/** Name of a text-mode program. */
export type TextToolName = 'pdftotext' | 'pdfinfo' | 'pdftoppm' | 'catdoc' | 'xls2csv';

/** The programs of text mode and where they come from (a view of `TOOLS`). */
export const TEXT_TOOLS = {
  pdftotext: TOOLS.pdftotext,
  pdfinfo: TOOLS.pdfinfo,
  pdftoppm: TOOLS.pdftoppm,
  catdoc: TOOLS.catdoc,
  xls2csv: TOOLS.xls2csv,
} as const;

/** A located, version-checked program. */
export interface TextTool extends Tool {
  name: TextToolName;
}

/**
 * The program `name`, located and version-checked once per process (failures are not cached).
 * @throws SdkError ISCC_SDK_TOOL_MISSING / ISCC_SDK_TOOL_VERSION
 */
export function findTextTool(name: TextToolName): Promise<TextTool> {
  return findTool(name) as Promise<TextTool>;
}
