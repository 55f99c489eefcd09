/**
 * Advance widths (thousandths of an em) of DejaVu Sans, the chart font, read from the `hmtx` table of the
 * TTF files `dejavu-fonts-ttf` ships: printable ASCII plus the few other characters the charts use.
 * Plot does not measure text: the charts size their margins, legends and labels with these widths,
 * which are the ones the PNG step draws the glyphs with.
 */
export const GLYPH_CHARACTERS = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~·×→…–µ≤≥—’";
const REGULAR_WIDTHS: readonly number[] = [
  318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636, 636,
  636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698, 770, 632,
  575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732, 684, 989, 685,
  611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635, 634, 278, 278, 579,
  278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592, 525, 636, 337, 636, 838,
  318, 838, 838, 1000, 500, 636, 838, 838, 1000, 318,
];
const BOLD_WIDTHS: readonly number[] = [
  348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696, 696,
  696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734, 830, 683,
  683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812, 774, 1103, 771,
  724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716, 712, 343, 343, 665,
  343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652, 582, 712, 365, 712, 838,
  380, 838, 838, 1000, 500, 736, 838, 838, 1000, 380,
];
/** For characters outside the table: DejaVu Sans's digit width. */
const FALLBACK_WIDTH = 636;

const INDEX = new Map([...GLYPH_CHARACTERS].map((ch, i) => [ch, i]));

/** Width in pixels of `text` set in DejaVu Sans at `fontSize` pixels. */
export function textWidthPx(text: string, fontSize: number, bold = false): number {
  const widths = bold ? BOLD_WIDTHS : REGULAR_WIDTHS;
  let total = 0;
  for (const ch of text) {
    const i = INDEX.get(ch);
    total += i === undefined ? FALLBACK_WIDTH : widths[i];
  }
  return (total * fontSize) / 1000;
}
