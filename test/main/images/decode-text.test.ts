// Why a photo could not be decoded, in words a user can act on. The HEVC case cannot be made here
// (no HEVC encoder on this machine, and the bundled decoder lacks it, which is the point): its input
// is libheif's message as sharp reports it for an iPhone photo (lovell/sharp#4050, #2518).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeFailureText, HEVC_TEXT } from '../../../src/main/images/decode.js';

test("an iPhone HEIC photo says what it is and how to get a JPEG, not libheif's 'Unsupported codec'", () => {
  for (const raw of [
    'Input file has corrupt header: heif: Unsupported feature: Unsupported codec (4.3000)',
    'heif: Unsupported feature: Unsupported codec (4.3000)\nVipsForeignLoad: "x.heic" is not a known file format',
    'Input file has corrupt header: heif: Unsupported feature: Support for this compression format has not been built in (4.3001)',
  ]) {
    assert.equal(decodeFailureText(raw), HEVC_TEXT);
  }
  assert.match(HEVC_TEXT, /export it as JPEG/);
});

test('other failures keep their first line; a damaged AVIF is not called HEVC', () => {
  assert.equal(decodeFailureText('VipsJpeg: Premature end of input file\nmore detail'), 'VipsJpeg: Premature end of input file');
  assert.equal(decodeFailureText('heif: Invalid input: Unexpected end of file (2.100)'), 'heif: Invalid input: Unexpected end of file (2.100)');
  // libvips' sentence cut at its colon (a PNG header with no image after it) says what that means.
  assert.equal(decodeFailureText('Input file has corrupt header:'), 'Input file has corrupt header (the file is damaged or incomplete)');
});
