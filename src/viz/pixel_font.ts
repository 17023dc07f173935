/**
 * A 5×7 pixel font for labels in PNGs (pngjs draws no text): digits, capitals and the symbols of
 * titles such as "DFA (TEST 79.1 %)". Lower case is drawn as capitals; a character without a
 * glyph as '?'. Each glyph: 7 rows of 5 columns, '#' set.
 */

const GLYPHS: Record<string, string> = {
  ' ': '..... ..... ..... ..... ..... ..... .....',
  A: '.###. #...# #...# ##### #...# #...# #...#',
  B: '####. #...# #...# ####. #...# #...# ####.',
  C: '.###. #...# #.... #.... #.... #...# .###.',
  D: '####. #...# #...# #...# #...# #...# ####.',
  E: '##### #.... #.... ####. #.... #.... #####',
  F: '##### #.... #.... ####. #.... #.... #....',
  G: '.###. #...# #.... #.### #...# #...# .####',
  H: '#...# #...# #...# ##### #...# #...# #...#',
  I: '.###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.',
  J: '..### ...#. ...#. ...#. ...#. #..#. .##..',
  K: '#...# #..#. #.#.. ##... #.#.. #..#. #...#',
  L: '#.... #.... #.... #.... #.... #.... #####',
  M: '#...# ##.## #.#.# #.#.# #...# #...# #...#',
  N: '#...# #...# ##..# #.#.# #..## #...# #...#',
  O: '.###. #...# #...# #...# #...# #...# .###.',
  P: '####. #...# #...# ####. #.... #.... #....',
  Q: '.###. #...# #...# #...# #.#.# #..#. .##.#',
  R: '####. #...# #...# ####. #.#.. #..#. #...#',
  S: '.#### #.... #.... .###. ....# ....# ####.',
  T: '##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..',
  U: '#...# #...# #...# #...# #...# #...# .###.',
  V: '#...# #...# #...# #...# #...# .#.#. ..#..',
  W: '#...# #...# #...# #.#.# #.#.# #.#.# .#.#.',
  X: '#...# #...# .#.#. ..#.. .#.#. #...# #...#',
  Y: '#...# #...# .#.#. ..#.. ..#.. ..#.. ..#..',
  Z: '##### ....# ...#. ..#.. .#... #.... #####',
  '0': '.###. #...# #..## #.#.# ##..# #...# .###.',
  '1': '..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.',
  '2': '.###. #...# ....# ...#. ..#.. .#... #####',
  '3': '##### ...#. ..#.. ...#. ....# #...# .###.',
  '4': '...#. ..##. .#.#. #..#. ##### ...#. ...#.',
  '5': '##### #.... ####. ....# ....# #...# .###.',
  '6': '..##. .#... #.... ####. #...# #...# .###.',
  '7': '##### ....# ...#. ..#.. .#... .#... .#...',
  '8': '.###. #...# #...# .###. #...# #...# .###.',
  '9': '.###. #...# #...# .#### ....# ...#. .##..',
  '(': '...#. ..#.. .#... .#... .#... ..#.. ...#.',
  ')': '.#... ..#.. ...#. ...#. ...#. ..#.. .#...',
  '%': '##... ##..# ...#. ..#.. .#... #..## ...##',
  '.': '..... ..... ..... ..... ..... .##.. .##..',
  ',': '..... ..... ..... ..... .##.. ..#.. .#...',
  ':': '..... .##.. .##.. ..... .##.. .##.. .....',
  '-': '..... ..... ..... ##### ..... ..... .....',
  '+': '..... ..#.. ..#.. ##### ..#.. ..#.. .....',
  '/': '..... ....# ...#. ..#.. .#... #.... .....',
  '=': '..... ..... ##### ..... ##### ..... .....',
  '±': '..#.. ..#.. ##### ..#.. ..#.. ..... #####',
  '?': '.###. #...# ....# ...#. ..#.. ..... ..#..',
};

export const GLYPH_W = 5;
export const GLYPH_H = 7;

/** The rows of a character's glyph ('#' set), capitals for lower case, '?' for an unknown one. */
export function glyph(ch: string): string[] {
  return (GLYPHS[ch] ?? GLYPHS[ch.toUpperCase()] ?? GLYPHS['?']!).split(' ');
}

/** Width in pixels of `text` at `scale` (one blank column between glyphs). */
export function textWidth(text: string, scale = 1): number {
  return text.length ? ([...text].length * (GLYPH_W + 1) - 1) * scale : 0;
}

export interface TextOptions {
  scale?: number;
  color?: [number, number, number];
  /** pixels outside [clipX0, clipX1) are not drawn (a panel's column range) */
  clipX0?: number;
  clipX1?: number;
}

/** Draws `text` with its top-left corner at (x, y) into RGBA pixels `data` of an image `width` × `height`. */
export function drawText(data: Uint8Array, width: number, height: number, text: string, x: number, y: number, o: TextOptions = {}): void {
  const s = o.scale ?? 1;
  const [r, g, b] = o.color ?? [0, 0, 0];
  const x0 = Math.max(0, o.clipX0 ?? 0), x1 = Math.min(width, o.clipX1 ?? width);
  let cx = x;
  for (const ch of text) {
    const rows = glyph(ch);
    for (let gy = 0; gy < GLYPH_H; gy++) {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if (rows[gy]![gx] !== '#') continue;
        for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) {
          const px = cx + gx * s + dx, py = y + gy * s + dy;
          if (px < x0 || px >= x1 || py < 0 || py >= height) continue;
          const k = (py * width + px) * 4;
          data[k] = r;
          data[k + 1] = g;
          data[k + 2] = b;
          data[k + 3] = 255;
        }
      }
    }
    cx += (GLYPH_W + 1) * s;
  }
}
